// The last look at a stable file before it is claimed: it must open, hash to the same bytes it
// had when it was judged stable (a writer that woke up sends it back to waiting), and not be one
// of GenQueue's own results (a sidecar beside it names GenQueue as its generator).
import { createHash } from 'node:crypto';
import { access, open, readFile } from 'node:fs/promises';
import { sidecarPath } from '../results/sidecar.ts';
import type { FileStamp } from './watch-store.ts';

export type Taken =
  | { kind: 'taken'; sha256: string }
  /** Changed while it was read: wait for it to settle again. */
  | { kind: 'changed' }
  /** Gone before it could be read. */
  | { kind: 'gone' }
  /** One of GenQueue's own results. */
  | { kind: 'ours' };

const CHUNK_BYTES = 256 * 1024;

async function isGenQueueResult(path: string): Promise<boolean> {
  const sidecar = sidecarPath(path);
  try {
    await access(sidecar);
  } catch {
    return false;
  }
  try {
    return (
      (JSON.parse(await readFile(sidecar, 'utf8')) as { generator?: unknown }).generator ===
      'GenQueue'
    );
  } catch {
    return false;
  }
}

/** Throws the open or read error (EACCES, EBUSY…) for the caller to retry. */
export async function takeFile(
  path: string,
  stamp: FileStamp,
  signal: AbortSignal,
): Promise<Taken> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw thrown;
  }
  try {
    const hash = createHash('sha256');
    // Sized to the file (plus one byte, to see its end in the same read) for the usual small one.
    const buffer = Buffer.allocUnsafe(Math.min(stamp.size + 1, CHUNK_BYTES));
    let total = 0;
    for (;;) {
      signal.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      hash.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
      // A short read past the expected size is the end (a grown file shows in the stat below).
      if (bytesRead === 0 || (bytesRead < buffer.length && total >= stamp.size)) break;
    }
    const after = await handle.stat();
    if (after.size !== stamp.size || after.mtimeMs !== stamp.mtimeMs) return { kind: 'changed' };
    if (await isGenQueueResult(path)) return { kind: 'ours' };
    return { kind: 'taken', sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}
