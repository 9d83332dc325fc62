// `genqueue prepare <path…> --out <dir> [--json]`: a dry run of the upload's preflight. Writes the
// compliant file for every image (folders walked recursively) without uploading anything, prints
// each file's report on one line, carries on past files that fail, and ends with a summary line
// ("12 prepared, 2 could not be: 1.2 GB → 180 MB"; with --json, on standard error).
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { toEngineError, type EngineError } from '../../../contract/errors.ts';
import type { PreflightReport } from '../../../contract/schemas.ts';
import { defaultHome } from '../../../engine/host/home.ts';
import { expandPaths } from '../../../engine/ingest/expand-paths.ts';
import { createLimiter } from '../../../engine/util/limit.ts';
import { prepareImage, type PreflightOptions } from '../../../engine/preflight/prepare.ts';
import { formatBytes } from '../../../engine/preflight/report.ts';
import { EXTENSIONS } from '../../../contract/image-files.ts';
import { terminalSafe } from '../terminal-text.ts';

/** Two at a time, like the queue's default: each prepare can use a few hundred MB. */
const CONCURRENCY = 2;

interface Line {
  source: string;
  output: string | null;
  ok: boolean;
  report?: PreflightReport;
  error?: EngineError;
}

function describe(line: Line): string {
  return line.ok
    ? `ok    ${line.source} → ${line.output}: ${line.report?.summary}`
    : `fail  ${line.source}: ${line.error?.message}`;
}

/** The totals over every file: how many were prepared, how many not, and the bytes before and after. */
function summarize(lines: readonly Line[]) {
  const prepared = lines.filter((line) => line.ok);
  const sum = (side: 'before' | 'after') =>
    prepared.reduce((total, line) => total + (line.report?.[side].bytes ?? 0), 0);
  return {
    prepared: prepared.length,
    failed: lines.length - prepared.length,
    bytesBefore: sum('before'),
    bytesAfter: sum('after'),
  };
}

function summaryLine(totals: ReturnType<typeof summarize>): string {
  const notPrepared = totals.failed ? `, ${totals.failed} could not be` : '';
  return `${totals.prepared} prepared${notPrepared}: ${formatBytes(totals.bytesBefore)} → ${formatBytes(totals.bytesAfter)}`;
}

/** Each source's output stem, its base name, made unique in input order (a/x.jpg, b/x.png → x, x-2). */
function outputStems(sources: string[]): string[] {
  const taken = new Set<string>();
  return sources.map((source) => {
    const base = basename(source, extname(source));
    let stem = base;
    for (let n = 2; taken.has(stem.toLowerCase()); n += 1) stem = `${base}-${n}`;
    taken.add(stem.toLowerCase());
    return stem;
  });
}

export async function prepareCommand(
  args: {
    paths: string[];
    out: string;
    json: boolean;
    metadata: PreflightOptions['metadata'];
    maxDimension?: number;
  },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const out = resolve(args.out);
  await mkdir(out, { recursive: true });
  const { files, skipped } = await expandPaths(args.paths, new Set([out]));
  const cacheDir = join(defaultHome(), 'cache', 'prepared');
  const limiter = createLimiter(CONCURRENCY);
  const stems = outputStems(files);

  const prepareOne = async (source: string, stem: string): Promise<Line> => {
    try {
      const prepared = await prepareImage(source, {
        metadata: args.metadata,
        ...(args.maxDimension !== undefined && { maxDimension: args.maxDimension }),
        cacheDir,
      });
      const output = join(out, `${stem}.${EXTENSIONS[prepared.format]}`);
      const temp = `${output}.${randomUUID()}.tmp`;
      try {
        await copyFile(prepared.path, temp);
        await rename(temp, output);
      } finally {
        await rm(temp, { force: true });
      }
      return { source, output, ok: true, report: prepared.report };
    } catch (error) {
      return { source, output: null, ok: false, error: toEngineError(error) };
    }
  };

  const pending = files.map((file, i) => limiter.run(() => prepareOne(file, stems[i] ?? 'image')));
  const missing = skipped.filter((skip) => skip.reason !== 'Not an image.');
  for (const skip of missing) {
    const error: EngineError = { code: 'io', message: skip.reason, retryable: false };
    pending.push(Promise.resolve({ source: skip.path, output: null, ok: false, error }));
  }
  const lines: Line[] = [];
  for (const next of pending) {
    const line = await next;
    lines.push(line);
    io.stdout.write(`${args.json ? JSON.stringify(line) : terminalSafe(describe(line))}\n`);
  }
  const ignored = skipped.length - missing.length;
  if (ignored > 0) {
    io.stderr.write(
      `${ignored} file${ignored === 1 ? '' : 's'} in the folders skipped: not images.\n`,
    );
  }
  // With --json, standard output stays one object per file, as tools reading it expect.
  const totals = summarize(lines);
  (args.json ? io.stderr : io.stdout).write(`${summaryLine(totals)}\n`);
  return totals.failed > 0 ? 1 : 0;
}
