// The preflight as a dry run over files and folders (`genqueue prepare`): every image is made
// acceptable to APIMart and its compliant file written into an output folder, without a queue,
// an upload or the engine's lock, so it runs beside a GenQueue that is processing jobs.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { toEngineError, type EngineError } from '../../contract/errors.ts';
import { EXTENSIONS } from '../../contract/image-files.ts';
import type { PreflightReport } from '../../contract/schemas.ts';
import { prepareImage, type PreflightOptions } from '../preflight/prepare.ts';
import { formatBytes } from '../preflight/pipeline/report.ts';
import { createLimiter } from '../util/limit.ts';
import { expandPaths } from './expand-paths.ts';

/** Two at a time, like the queue's default: each prepare can use a few hundred MB. */
const CONCURRENCY = 2;

/** What became of one file: its compliant copy and report, or why there is none. */
export interface PreparedFile {
  source: string;
  output: string | null;
  ok: boolean;
  report?: PreflightReport;
  error?: EngineError;
}

export interface PrepareFilesOptions extends Pick<PreflightOptions, 'metadata' | 'maxDimension'> {
  /** Where the compliant files are written (made if missing). */
  out: string;
  /** The data directory, whose preflight cache the engine shares. */
  home: string;
}

/** The preflight cache in a data directory. */
export function preparedCacheDir(home: string): string {
  return join(home, 'cache', 'prepared');
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

/** Prepares `source` and writes it as `<out>/<stem>.<ext>` (whole, or not at all). */
async function prepareInto(
  source: string,
  stem: string,
  options: PrepareFilesOptions,
): Promise<PreparedFile> {
  try {
    const prepared = await prepareImage(source, {
      metadata: options.metadata,
      ...(options.maxDimension !== undefined && { maxDimension: options.maxDimension }),
      cacheDir: preparedCacheDir(options.home),
    });
    const output = join(options.out, `${stem}.${EXTENSIONS[prepared.format]}`);
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
}

/**
 * Prepares every image `paths` names (folders walked recursively): one result per file, in input
 * order, each settling as its file is done; a path that cannot be read is a failed result, and
 * files in the folders that are not images are only counted.
 */
export async function prepareFiles(
  paths: string[],
  options: PrepareFilesOptions,
): Promise<{ results: Promise<PreparedFile>[]; notImages: number }> {
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const { files, skipped } = await expandPaths(paths, new Set([out]));
  const limiter = createLimiter(CONCURRENCY);
  const stems = outputStems(files);
  const results = files.map((file, i) =>
    limiter.run(() => prepareInto(file, stems[i] ?? 'image', { ...options, out })),
  );
  const unreadable = skipped.filter((skip) => skip.reason !== 'Not an image.');
  for (const skip of unreadable) {
    const error: EngineError = { code: 'io', message: skip.reason, retryable: false };
    results.push(Promise.resolve({ source: skip.path, output: null, ok: false, error }));
  }
  return { results, notImages: skipped.length - unreadable.length };
}

/** The sentence that ends a run: "12 prepared, 2 could not be: 38.1 MB → 9.6 MB". */
export function preparedSummary(files: readonly PreparedFile[]): string {
  const prepared = files.filter((file) => file.ok);
  const sum = (side: 'before' | 'after'): number =>
    prepared.reduce((total, file) => total + (file.report?.[side].bytes ?? 0), 0);
  const failed = files.length - prepared.length;
  const notPrepared = failed ? `, ${failed} could not be` : '';
  return `${prepared.length} prepared${notPrepared}: ${formatBytes(sum('before'))} → ${formatBytes(sum('after'))}`;
}
