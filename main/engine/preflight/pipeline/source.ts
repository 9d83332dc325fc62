// Reads a source file once: its SHA-256 (the cache key and the upload's identity), its leading
// bytes for detection, and — only when it is small enough to upload or rewrite as is — the whole
// file, so a 100 MB export is hashed in a stream and never held in memory twice; that stream goes
// on after readSource returns, so the caller can start work that does not depend on the hash.
import { createHash } from 'node:crypto';
import { type FileHandle } from 'node:fs/promises';
import { EngineFailure, engineError } from '../../../contract/errors.ts';
import { NOT_REGULAR, openRegular } from '../../ingest/regular-file.ts';

export interface SourceFile {
  path: string;
  name: string;
  size: number;
  /** Known at once for a file held in memory; a large file's is computed as it is read. */
  sha256: Promise<string>;
  /** The first HEAD_BYTES of the file (fewer if it is shorter). */
  head: Buffer;
  /** The whole file, when it is at most `keepLimit` bytes. */
  bytes: Buffer | undefined;
}

/** Enough for detection and for every JPEG header segment in practice. */
const HEAD_BYTES = 256 * 1024;
const CHUNK = 1024 * 1024;

/** A file-system error as the sentence a user can act on. */
export function ioFailure(error: unknown, name: string, verb = 'read'): EngineFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: `${name} cannot be ${verb}: permission denied.`,
    EPERM: `${name} cannot be ${verb}: the operation is not permitted.`,
    ENOENT: `${name} cannot be found; it may have been moved or deleted.`,
    EISDIR: `${name} is a folder, not an image file.`,
    ENOSPC: `${name} cannot be ${verb}: the disk is full.`,
    [NOT_REGULAR]: `${name} is ${(error as { kind?: string }).kind ?? 'not a regular file'}, not an image file, so GenQueue does not read it.`,
  };
  const message =
    (code && reasons[code]) ?? `${name} cannot be ${verb} (${code ?? String(error)}).`;
  return new EngineFailure(engineError('io', message, { detail: code }), { cause: error });
}

/**
 * Hashes the whole file, then closes it. Two chunk buffers take turns: the next chunk is read
 * while this one is hashed, and the same memory is reused throughout (fresh pages cost more to
 * touch than the hash itself).
 */
async function hashFile(
  handle: FileHandle,
  name: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const hash = createHash('sha256');
  let current = Buffer.allocUnsafe(CHUNK);
  let spare = Buffer.allocUnsafe(CHUNK);
  let next = handle.read(current, 0, CHUNK, 0);
  try {
    for (let position = 0; ;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return hash.digest('hex');
      position += bytesRead;
      signal?.throwIfAborted();
      next = handle.read(spare, 0, CHUNK, position);
      hash.update(current.subarray(0, bytesRead));
      [current, spare] = [spare, current];
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw ioFailure(error, name);
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
}

/** The SHA-256 of a file read in chunks (never held whole in memory). */
export async function fileSha256(path: string, name: string): Promise<string> {
  let handle;
  try {
    handle = await openRegular(path);
  } catch (error) {
    throw ioFailure(error, name);
  }
  return hashFile(handle, name, undefined);
}

export async function readSource(
  path: string,
  name: string,
  keepLimit: number,
  signal?: AbortSignal,
): Promise<SourceFile> {
  signal?.throwIfAborted();
  let handle;
  try {
    handle = await openRegular(path);
  } catch (error) {
    throw ioFailure(error, name);
  }
  let hashing = false;
  try {
    const stat = await handle.stat();
    if (stat.size <= keepLimit) {
      const bytes = await handle.readFile({ signal });
      const sha256 = Promise.resolve(createHash('sha256').update(bytes).digest('hex'));
      const head = bytes.subarray(0, HEAD_BYTES);
      return { path, name, size: bytes.length, sha256, head, bytes };
    }
    const head = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sha256 = hashFile(handle, name, signal);
    hashing = true;
    sha256.catch(() => undefined); // the caller awaits it; this only keeps an early exit quiet
    return {
      path,
      name,
      size: stat.size,
      sha256,
      head: head.subarray(0, bytesRead),
      bytes: undefined,
    };
  } catch (error) {
    if (error instanceof EngineFailure || (error as Error).name === 'AbortError') throw error;
    throw ioFailure(error, name);
  } finally {
    if (!hashing) await handle.close();
  }
}
