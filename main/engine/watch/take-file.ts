// The last look at a stable file before it is claimed: it must be a regular file reached without
// a link (a link planted in a watched folder would send a private file elsewhere to APIMart and
// its result into the folder), open, hash to the same bytes it had when it was judged stable (a
// writer that woke up sends it back to waiting), and not be one of GenQueue's own results.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { NOT_REGULAR, openRegular, readRegular } from '../ingest/regular-file.ts';
import { sidecarPath } from '../results/sidecar.ts';
import type { FileStamp } from './watch-store.ts';

export type Taken =
  | { kind: 'taken'; sha256: string }
  /** Changed while it was read: wait for it to settle again. */
  | { kind: 'changed' }
  /** Gone before it could be read. */
  | { kind: 'gone' }
  /** One of GenQueue's own results. */
  | { kind: 'ours' }
  /** Passed over on purpose (a link, a pipe): the sentence says why. */
  | { kind: 'refused'; reason: string };

/** The watched folder as named, and where it really is (its links resolved). */
export interface WatchedRoot {
  path: string;
  real: string;
}

const CHUNK_BYTES = 256 * 1024;

async function isGenQueueResult(path: string): Promise<boolean> {
  try {
    const sidecar = JSON.parse((await readRegular(sidecarPath(path))).toString('utf8')) as {
      generator?: unknown;
    };
    return sidecar.generator === 'GenQueue';
  } catch {
    return false;
  }
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Why a link is not followed, in a sentence. */
async function linkRefusal(path: string, root: WatchedRoot): Promise<string> {
  const target = await realpath(path).catch(() => undefined);
  if (!target) return 'It is a link to something that does not exist.';
  return inside(target, root.real)
    ? 'It is a link: GenQueue takes the file it points to, in this folder, under its own name.'
    : 'It is a link to a file outside the watched folder: GenQueue does not follow links out of a watched folder.';
}

/** Throws the open or read error (EACCES, EBUSY…) for the caller to retry. */
export async function takeFile(
  path: string,
  stamp: FileStamp,
  signal: AbortSignal,
  root: WatchedRoot,
): Promise<Taken> {
  let handle;
  try {
    handle = await openRegular(path, { noFollow: true });
  } catch (thrown) {
    const { code, message } = thrown as NodeJS.ErrnoException;
    if (code === 'ENOENT') return { kind: 'gone' };
    if (code === 'ELOOP' || code === 'EMLINK')
      return { kind: 'refused', reason: await linkRefusal(path, root) };
    if (code === NOT_REGULAR || code === 'EISDIR') return { kind: 'refused', reason: message };
    throw thrown;
  }
  try {
    // A folder on the way that is a link (or, where O_NOFOLLOW does not exist, the file itself).
    if ((await realpath(path)) !== join(root.real, relative(root.path, path)))
      return { kind: 'refused', reason: await linkRefusal(path, root) };
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
