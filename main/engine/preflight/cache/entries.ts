// Remembers prepared files by the hash of the source bytes and the settings that shaped them, so
// a retry or a rerun returns at once. Each entry is the prepared file plus a small JSON record,
// both written atomically (temp file, then rename), so a crash never leaves half an entry.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ioFailure } from '../pipeline/source.ts';
import { EXTENSIONS, type UploadFormat } from '../../../contract/image-files.ts';
import { PreparedImageSchema, type PreparedImage } from '../pipeline/types.ts';

/** Bumped whenever preflight's output for the same input and settings would change. */
const CACHE_VERSION = 2;

/** An entry's key: the source's size in bytes, then a digest of its content and the settings. */
export function cacheKey(
  sourceSha256: string,
  sourceBytes: number,
  settings: Record<string, unknown>,
): string {
  const canonical = JSON.stringify(
    Object.keys(settings)
      .sort()
      .map((key) => [key, settings[key]]),
  );
  const digest = createHash('sha256')
    .update(`${CACHE_VERSION}\n${sourceSha256}\n${canonical}`)
    .digest('hex');
  return `${sourceBytes}-${digest.slice(0, 40)}`;
}

/**
 * Whether the cache holds any entry for a source of exactly this size. When it holds none, a
 * lookup cannot hit, so work on a large file need not wait for its hash to find that out.
 */
export async function mayHoldSourceOfSize(cacheDir: string, sourceBytes: number): Promise<boolean> {
  const prefix = `${sourceBytes}-`;
  try {
    return (await readdir(cacheDir)).some((name) => name.startsWith(prefix));
  } catch {
    return false; // no cache folder yet
  }
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The cached result for `key`, if its record and file are intact. */
export async function readCached(
  cacheDir: string,
  key: string,
  sourcePath: string,
): Promise<PreparedImage | undefined> {
  let record: PreparedImage;
  try {
    const parsed = PreparedImageSchema.safeParse(
      JSON.parse(await readFile(join(cacheDir, `${key}.json`), 'utf8')),
    );
    if (!parsed.success) return undefined;
    record = parsed.data;
  } catch {
    return undefined; // no entry (or an unreadable one): prepare afresh
  }
  // A pass-through entry names whichever file had these bytes; the caller's file has them now.
  if (record.passthrough) return { ...record, path: sourcePath };
  try {
    const info = await stat(record.path);
    return info.size === record.bytes ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores a prepared result; `bytes` are written to the cache (or, already in a file of the cache
 * folder, renamed into place) unless the source passes through.
 */
export async function writeCached(
  cacheDir: string,
  key: string,
  prepared: Omit<PreparedImage, 'path'> & { path?: string },
  bytes: Uint8Array | { path: string } | undefined,
): Promise<PreparedImage> {
  try {
    await mkdir(cacheDir, { recursive: true });
    let path = prepared.path ?? '';
    if (bytes) {
      path = join(cacheDir, `${key}.${EXTENSIONS[prepared.format as UploadFormat]}`);
      if (bytes instanceof Uint8Array) await writeAtomic(path, bytes);
      else await rename(bytes.path, path);
    }
    const record: PreparedImage = { ...prepared, path };
    await writeAtomic(join(cacheDir, `${key}.json`), JSON.stringify(record));
    return record;
  } catch (error) {
    throw ioFailure(error, 'The preflight cache folder', 'written');
  }
}
