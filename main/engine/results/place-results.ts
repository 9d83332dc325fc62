// Puts a task's paid results on disk, each under a name of its own and never over anything: a
// result is fetched into a partial file its row names, its real format sniffed and checked, and
// only then given the first free name (reserved in the database, then taken on disk with exclusive
// creates: the sidecar first, then the image). Every step is recorded, so a crash resumes from it.
import { lstatSync } from 'node:fs';
import { lstat, mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { fail } from '../../contract/errors.ts';
import { EXTENSIONS } from '../../contract/image-files.ts';
import { MAX_SUFFIX_NUMBER, withSuffix } from '../../contract/naming.ts';
import type { ResultFile } from '../../contract/schemas.ts';
import type { DownloadedImage, DownloadOptions } from '../apimart/download.ts';
import { checkResultImage } from '../apimart/download.ts';
import type { ResultImageRef } from '../store/jobs-store.ts';
import type { ResultFiles, ResultKey } from '../store/result-files.ts';
import { linkExclusive, realFolder, tempName, writeNew } from './exclusive-files.ts';
import { isSidecarOf, sidecarPath, sidecarText, type Sidecar } from './sidecar.ts';

/** Results of one job fetched at once: a task listing many cannot flood the disk or the network. */
const RESULTS_AT_ONCE = 2;

/**
 * Where the walk for a name last ended, per folder and name, so the k-th result of one name starts
 * at the suffix the one before it took instead of stepping past all k - 1 again (a template without
 * {name} gives every result the same name). Only a hint: each name is still taken exclusively.
 */
const lastTaken = new Map<string, number>();

export interface PlaceOptions {
  files: ResultFiles;
  /** Fetches `url` into `part`, a file it creates, and checks it is a whole image. */
  download: (url: string, part: string, options: DownloadOptions) => Promise<DownloadedImage>;
  dir: string;
  /** The template's name for result `index` once its extension is known (before any " (k)"). */
  nameFor: (index: number, ext: string) => string;
  sidecarFor: (index: number) => Sidecar;
  signal: AbortSignal;
}

/**
 * Makes sure results can be written into `dir`: it exists (made when missing), it is a real folder
 * when GenQueue named it itself (`own`), and, given the longest name a result may get, the disk
 * takes names that long (checked with a hidden file of the same length, made and removed).
 */
export async function checkOutputFolder(
  dir: string,
  options: { own: boolean; longestName?: string },
): Promise<void> {
  const longest = options.longestName && withSuffix(options.longestName, MAX_SUFFIX_NUMBER);
  const bytes = longest ? Buffer.byteLength(sidecarPath(longest)) : 0;
  // A folder GenQueue names must be real every time: a link planted since is never written through.
  if (options.own) await realFolder(dir);
  const key = `${dir}\0${bytes}`;
  if (Date.now() - (checkedAt.get(key) ?? -Infinity) < RECHECK_MS) return;
  if (!options.own) await mkdir(dir, { recursive: true });
  if (longest) await probeNameLength(dir, longest, bytes);
  if (checkedAt.size > 1000) checkedAt.clear();
  checkedAt.set(key, Date.now());
}

/**
 * A folder found fit is trusted this long before it is made and probed again: a batch into one
 * folder does it once, not once per image. A folder that breaks meanwhile still loses nothing:
 * its results go to the recovery folder.
 */
const RECHECK_MS = 10_000;
const checkedAt = new Map<string, number>();

/** The disk of `dir` takes a name of `bytes` bytes: a hidden file that long is made and removed. */
async function probeNameLength(dir: string, longest: string, bytes: number): Promise<void> {
  const path = join(dir, tempName('probe'.padEnd(bytes - tempName('').length, 'x')));
  try {
    await writeNew(path, '');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') throw thrown;
    fail(
      'bad_input',
      `The results' file names (up to ${bytes} bytes, as “${longest}”) are too long for the disk of ${dir}. Choose a shorter naming template or another output folder.`,
    );
  }
  await unlink(path);
}

/** Places every result of task `taskId` of job `jobId` in `options.dir`; results are 1-based. */
export async function placeResults(
  jobId: string,
  taskId: string,
  images: readonly ResultImageRef[],
  options: PlaceOptions,
): Promise<ResultFile[]> {
  const results: ResultFile[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < images.length) {
      const i = next++;
      results[i] = await placeOne({ jobId, taskId, index: i + 1 }, images[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESULTS_AT_ONCE, images.length) }, worker));
  return results;
}

async function placeOne(
  key: ResultKey,
  image: ResultImageRef,
  options: PlaceOptions,
): Promise<ResultFile> {
  const { files, dir, signal } = options;
  const row = files.get(key);
  if (row?.path && (row.placed || (row.part && (await sameFile(row.part, row.path))))) {
    // Placed before (or linked just before a crash): the result is already where it belongs,
    // unless the person has since deleted it or put something else there.
    const found = (await isFile(row.path))
      ? await describe(row.path).catch(() => undefined)
      : undefined;
    if (found) {
      files.placed(key);
      if (row.part) await removeOwn(row.part);
      return found;
    }
  }
  // A crash between reserving a name and placing the image: give the name back (and the sidecar
  // written for it). A partial file that had a name reserved had been checked whole: it is kept.
  let fetched: DownloadedImage | undefined;
  if (row?.path && !row.placed) {
    if (await isSidecarOf(sidecarPath(row.path), key)) await removeOwn(sidecarPath(row.path));
    files.release(key);
    if (row.part) fetched = await checkResultImage(row.part).catch(() => undefined);
  }
  if (!fetched) {
    if (row?.part) await Promise.all([removeOwn(row.part), removeOwn(`${row.part}.json`)]);
    const part = join(dir, tempName(`${tag(key.taskId)}-${key.index}`, 'part'));
    files.downloading(key, part);
    fetched = await options.download(image.url, part, {
      signal,
      ...(image.expiresAt && { expiresAt: image.expiresAt }),
    });
  }
  return claim(key, fetched, options);
}

/** Gives the checked image the first free name: reserved in the database, then taken on disk. */
async function claim(
  key: ResultKey,
  image: DownloadedImage,
  options: PlaceOptions,
): Promise<ResultFile> {
  const { files, dir } = options;
  const base = options.nameFor(key.index, EXTENSIONS[image.format]);
  const sidecarTemp = `${image.path}.json`;
  await removeOwn(sidecarTemp); // left by a crash mid-claim: its name says it is this result's
  await writeNew(sidecarTemp, sidecarText(options.sidecarFor(key.index)));
  try {
    const hint = join(dir, base);
    const start = lastTaken.get(hint) ?? 1;
    for (let step = 0; step < MAX_SUFFIX_NUMBER; step++) {
      const k = ((start - 1 + step) % MAX_SUFFIX_NUMBER) + 1;
      const path = join(dir, withSuffix(base, k));
      const sidecar = sidecarPath(path);
      if (!files.reserve(key, path, () => absent(path) && absent(sidecar))) continue;
      if (!(await takeSidecarName(sidecarTemp, sidecar, key))) {
        files.release(key);
        continue;
      }
      if (!(await linkExclusive(image.path, path))) {
        await removeOwn(sidecar);
        files.release(key);
        continue;
      }
      files.placed(key);
      await removeOwn(image.path);
      if (lastTaken.size > 10_000) lastTaken.clear();
      lastTaken.set(hint, k);
      return { path, sidecar, bytes: image.bytes, format: image.format, ...size(image) };
    }
  } finally {
    await removeOwn(sidecarTemp);
  }
  fail('io', `Every name for ${base} in ${dir} up to “ (${MAX_SUFFIX_NUMBER})” is taken.`);
}

/** Links the sidecar to its name; one this result left there before (its image since gone) is replaced. */
async function takeSidecarName(temp: string, sidecar: string, key: ResultKey): Promise<boolean> {
  if (await linkExclusive(temp, sidecar)) return true;
  if (!(await isSidecarOf(sidecar, key))) return false;
  await removeOwn(sidecar);
  return linkExclusive(temp, sidecar);
}

function size(image: Pick<DownloadedImage, 'width' | 'height'>) {
  return { width: image.width, height: image.height };
}

/** A result already on disk, described from its file. */
async function describe(path: string): Promise<ResultFile> {
  const [meta, stats] = await Promise.all([sharp(path).metadata(), stat(path)]);
  return {
    path,
    sidecar: sidecarPath(path),
    bytes: stats.size,
    format: meta.format,
    width: meta.width,
    height: meta.height,
  };
}

/** A task id as it can stand in a file name. */
function tag(taskId: string): string {
  return taskId.replace(/[^\w-]/g, '').slice(-24) || 'task';
}

function absent(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) === undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isFile() ?? false;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([lstat(a), lstat(b)].map((p) => p.catch(() => undefined)));
  return !!x && !!y && x.ino === y.ino && x.dev === y.dev;
}

/**
 * Removes a file this result owns (its name is recorded as its own). Best effort: a leftover that
 * cannot be removed (its folder went read-only) must not keep the paid result from being placed.
 */
async function removeOwn(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
