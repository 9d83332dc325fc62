// `genqueue prepare <path…> --out <dir> [--json]`: a dry run of the upload's preflight. Writes the
// compliant file for every image (folders walked recursively) without uploading anything, prints
// each file's report on one line, carries on past files that fail, and ends with a summary line
// ("12 prepared, 2 could not be: 1.2 GB → 180 MB"; with --json, on standard error).
import {
  prepareFiles,
  preparedSummary,
  type PreparedFile,
  type PrepareFilesOptions,
} from '../../../engine/engine.ts';
import { defaultHome } from '../../../engine/host/home.ts';
import { terminalSafe } from '../terminal-text.ts';

function describe(file: PreparedFile): string {
  return file.ok
    ? `ok    ${file.source} → ${file.output}: ${file.report?.summary}`
    : `fail  ${file.source}: ${file.error?.message}`;
}

export async function prepareCommand(
  args: Omit<PrepareFilesOptions, 'home'> & { paths: string[]; json: boolean },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const { paths, json, ...options } = args;
  const { results, notImages } = await prepareFiles(paths, { ...options, home: defaultHome() });
  const files: PreparedFile[] = [];
  for (const next of results) {
    const file = await next;
    files.push(file);
    io.stdout.write(`${json ? JSON.stringify(file) : terminalSafe(describe(file))}\n`);
  }
  if (notImages > 0) {
    io.stderr.write(
      `${notImages} file${notImages === 1 ? '' : 's'} in the folders skipped: not images.\n`,
    );
  }
  // With --json, standard output stays one object per file, as tools reading it expect.
  (json ? io.stderr : io.stdout).write(`${preparedSummary(files)}\n`);
  return files.some((file) => !file.ok) ? 1 : 0;
}
