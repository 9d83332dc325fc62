// Moves an original out of the way once its job has finished, when the folder asks for it:
// hard-linked into done/ or failed/ beside it (real folders, never links) under its first free
// name ("a (2).png"), then unlinked (copied where there are no hard links); a failed one gets its
// error in "a.png.txt", or "a.png (2).txt" if taken. Nothing there is replaced or written through.
import { unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { linkExclusive, realFolder, writeTemp } from '../results/exclusive-files.ts';
import { DONE_DIR, FAILED_DIR } from './path-rules.ts';

/** Links `file` into `dir` as `name`, "a (2).png", "a (3).png", … the first free one; returns it. */
async function linkToFreeName(file: string, dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let k = 1; ; k++) {
    const candidate = join(dir, k === 1 ? name : `${stem} (${k})${ext}`);
    if (await linkExclusive(file, candidate)) return candidate;
  }
}

function isMissing(thrown: unknown): boolean {
  return (thrown as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Returns where the original went, or undefined when it was no longer there. */
export async function moveOriginal(
  source: string,
  outcome: 'done' | 'failed',
  errorMessage?: string,
): Promise<string | undefined> {
  const dir = join(dirname(source), outcome === 'done' ? DONE_DIR : FAILED_DIR);
  await realFolder(dir);
  let target: string;
  try {
    target = await linkToFreeName(source, dir, basename(source));
  } catch (thrown) {
    if (isMissing(thrown)) return undefined;
    throw thrown;
  }
  await unlinkSource(source, target);
  if (outcome === 'failed') await writeNote(dir, target, errorMessage ?? 'The job failed.');
  return target;
}

/** Ends the move; if the original cannot be removed, its new name goes too (all or nothing). */
async function unlinkSource(source: string, target: string): Promise<void> {
  try {
    await unlink(source);
  } catch (thrown) {
    if (isMissing(thrown)) return; // moved away meanwhile: the new name is the one left
    await unlink(target).catch(() => undefined);
    throw thrown;
  }
}

async function writeNote(dir: string, target: string, message: string): Promise<void> {
  const temp = await writeTemp(dir, 'note', `${message}\n`);
  try {
    await linkToFreeName(temp, dir, `${basename(target)}.txt`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
