// Creating files in folders GenQueue does not own (output folders, done/ and failed/ beside a
// watched source) without ever replacing or writing through anything already there: bytes go to a
// new file under a random hidden name, opened exclusively (a link in its place makes it fail), and
// are then linked to the wanted name, which fails instead of replacing when that name is taken.
import { randomBytes } from 'node:crypto';
import { constants, type PathLike } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fail } from '../../contract/errors.ts';

/** O_CREAT | O_EXCL refuses any existing entry, a symlink included; O_NOFOLLOW says so twice. */
const EXCLUSIVE =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * link() cannot give a file a second name on filesystems without hard links (FAT, exFAT, some
 * network shares) or across two filesystems (a result kept in the recovery folder).
 */
const CANNOT_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

/** Opens `path` as a new file: fails with EEXIST when anything, even a dangling link, is there. */
export function openExclusive(path: PathLike): Promise<FileHandle> {
  return open(path, EXCLUSIVE, 0o644);
}

/** A hidden name for a temp file, unique to this call: `.genqueue-<tag>-<random>.<kind>`. */
export function tempName(tag: string, kind = 'tmp'): string {
  return `.genqueue-${tag}-${randomBytes(6).toString('hex')}.${kind}`;
}

/** Writes `data` into a new file with a random hidden name in `dir`; returns its path. */
export async function writeTemp(dir: string, tag: string, data: string | Buffer): Promise<string> {
  const path = join(dir, tempName(tag));
  await writeNew(path, data);
  return path;
}

/** Writes `data` into `path`, a new file: anything already there, a link included, is refused. */
export async function writeNew(path: string, data: string | Buffer): Promise<void> {
  const handle = await openExclusive(path);
  try {
    await handle.writeFile(data);
  } catch (thrown) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw thrown;
  }
  await handle.close();
}

/**
 * Gives the file `temp` the name `target` too, unless `target` is taken (by a file, a folder or a
 * link, dangling or not): then false, and nothing changed. `temp` stays; the caller removes it.
 * Where the filesystem has no hard links, the bytes are copied to a new file created exclusively.
 */
export async function linkExclusive(temp: string, target: string): Promise<boolean> {
  try {
    await link(temp, target);
    return true;
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!code || !CANNOT_LINK.has(code)) throw thrown;
  }
  try {
    await copyFile(temp, target, constants.COPYFILE_EXCL);
    return true;
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw thrown;
  }
}

/** linkExclusive, then the temp name is removed when the file got its name. */
export async function placeExclusive(temp: string, target: string): Promise<boolean> {
  const placed = await linkExclusive(temp, target);
  if (placed) await unlink(temp).catch(() => undefined);
  return placed;
}

/**
 * Makes sure `dir` is a real folder, creating it (and its parents) when missing. A folder GenQueue
 * names itself (done/, failed/, genqueue-output/) that turns out to be a link is refused: writing
 * through it would put files wherever whoever planted it chose.
 */
export async function realFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (thrown) {
    // A dangling link (ENOENT) or a file (EEXIST) in the way is refused below with a sentence.
    if (!(await lstat(dir).catch(() => undefined))) throw thrown;
  }
  const stats = await lstat(dir);
  if (stats.isSymbolicLink() || !stats.isDirectory()) {
    fail(
      'io',
      `${dir} is ${stats.isSymbolicLink() ? 'a link to somewhere else' : 'not a folder'}, so GenQueue writes nothing into it. Remove it or choose another folder.`,
    );
  }
}
