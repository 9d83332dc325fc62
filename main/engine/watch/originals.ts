// Moves an original out of the way once its job has finished, when the folder asks for it:
// into done/ or failed/ beside it, never overwriting a file already there, and with the error as
// a sentence in a .txt next to a failed one so the person sees why without opening the app.
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { DONE_DIR, FAILED_DIR } from './path-rules.ts';

async function freePath(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let k = 1; ; k++) {
    const candidate = join(dir, k === 1 ? name : `${stem} (${k})${ext}`);
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Returns where the original went, or undefined when it was no longer there. */
export async function moveOriginal(
  source: string,
  outcome: 'done' | 'failed',
  errorMessage?: string,
): Promise<string | undefined> {
  const dir = join(dirname(source), outcome === 'done' ? DONE_DIR : FAILED_DIR);
  await mkdir(dir, { recursive: true });
  const target = await freePath(dir, basename(source));
  try {
    await rename(source, target);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw thrown;
  }
  if (outcome === 'failed') {
    await writeFile(`${target}.txt`, `${errorMessage ?? 'The job failed.'}\n`);
  }
  return target;
}
