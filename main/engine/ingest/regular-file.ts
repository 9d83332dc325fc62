// Opening a person's file without ever blocking on it: a named pipe, a device or a socket named
// like an image would hang a plain open() (and with it a thread of the pool, and stop()), so
// sources are opened non-blocking and refused, before a byte is read, unless they are regular files.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The code of the error thrown for a pipe, device or socket (no errno says it). */
export const NOT_REGULAR = 'ENOTREG';

const READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Also refuses a link as the last part of the path (ELOOP; EMLINK on some BSDs). */
const READ_NO_LINK = READ | (constants.O_NOFOLLOW ?? 0);

/** What a non-regular file is, in words. */
export function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The error for what is not a regular file: EISDIR for a folder, ENOTREG for the rest. */
export function notRegular(stats: Stats): NodeJS.ErrnoException {
  const kind = describeKind(stats);
  return Object.assign(new Error(`This is ${kind}, not an image file.`), {
    code: stats.isDirectory() ? 'EISDIR' : NOT_REGULAR,
    kind,
  });
}

/** Opens `path` for reading only if it is a regular file; `noFollow` refuses a final link. */
export async function openRegular(
  path: string,
  options: { noFollow?: boolean } = {},
): Promise<FileHandle> {
  const handle = await open(path, options.noFollow ? READ_NO_LINK : READ);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(stats);
    return handle;
  } catch (thrown) {
    await handle.close();
    throw thrown;
  }
}

/** The whole of a regular file (never blocking on a pipe put in its place). */
export async function readRegular(path: string): Promise<Buffer> {
  const handle = await openRegular(path);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
