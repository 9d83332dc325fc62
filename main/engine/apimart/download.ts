// Fetches one result image: streamed to a temp file beside the destination under a size cap, its
// type checked from the bytes, fully decoded by sharp, and only then renamed into place, so a
// half-written or fake result never appears under the user's output folder.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { engineError, EngineFailure } from '../../contract/errors.ts';
import { badResponse } from './error-model.ts';
import { send, throwUnlessOk, type Transport } from './http.ts';

export interface DownloadedImage {
  path: string;
  bytes: number;
  format: 'jpeg' | 'png' | 'webp' | 'gif';
  width: number;
  height: number;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Default DEFAULT_MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
  /** The result's expires_at (ms), when the task reported one: past it, nothing is fetched. */
  expiresAt?: number;
}

export const DEFAULT_MAX_DOWNLOAD_BYTES = 128 * 1024 * 1024;
const GONE = new Set([401, 403, 404, 410]);

export async function downloadImage(
  transport: Transport,
  url: string,
  destination: string,
  options: DownloadOptions,
): Promise<DownloadedImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  if (options.expiresAt !== undefined && options.expiresAt <= Date.now()) {
    throw expired(`it expired at ${new Date(options.expiresAt).toISOString()}`);
  }
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new EngineFailure(
      badResponse(
        `APIMart gave a result address GenQueue cannot fetch: "${url.slice(0, 200)}".`,
        false,
      ),
    );
  }
  const reply = await send(transport, new URL(url), { method: 'GET', signal: options.signal });
  if (GONE.has(reply.statusCode)) {
    void reply.body.dump();
    throw expired(`the server answered HTTP ${reply.statusCode}`);
  }
  await throwUnlessOk(reply);
  const declared = Number(reply.headers['content-length']);
  if (declared > maxBytes) {
    void reply.body.dump();
    throw tooLarge(maxBytes);
  }
  const temp = join(
    dirname(destination),
    `.${basename(destination)}.${randomBytes(6).toString('hex')}.part`,
  );
  try {
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(bytes > maxBytes ? tooLarge(maxBytes) : null, chunk);
      },
    });
    const streaming = options.signal ? { signal: options.signal } : {};
    await pipeline(reply.body, counter, createWriteStream(temp), streaming);
    const image = await verify(temp, bytes);
    await rename(temp, destination);
    return { ...image, path: destination };
  } catch (error) {
    void reply.body.dump(); // quiet, whether the body ended or broke off
    await rm(temp, { force: true });
    throw error;
  }
}

async function verify(file: string, bytes: number): Promise<Omit<DownloadedImage, 'path'>> {
  const sniffed = await sniff(file);
  if (sniffed === undefined) {
    throw new EngineFailure(
      badResponse('The result APIMart sent is not a JPEG, PNG, WebP or GIF image.'),
    );
  }
  try {
    const image = sharp(file, { failOn: 'error' });
    const meta = await image.metadata();
    await image.stats(); // decodes every pixel: a truncated or damaged file fails here
    return { bytes, format: sniffed, width: meta.width, height: meta.height };
  } catch (error) {
    throw new EngineFailure(
      engineError(
        'corrupt',
        `The result image from APIMart is damaged and cannot be decoded (${sniffed}).`,
        { retryable: true },
      ),
      { cause: error },
    );
  }
}

/** The image type from the first bytes, like the service itself checks uploads. */
export async function sniff(file: string): Promise<DownloadedImage['format'] | undefined> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(12), 0, 12, 0);
    return sniffBytes(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function sniffBytes(head: Buffer): DownloadedImage['format'] | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (/^GIF8[79]a/.test(head.subarray(0, 6).toString('latin1'))) return 'gif';
  if (
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'webp';
  return undefined;
}

function expired(why: string): EngineFailure {
  return new EngineFailure(
    engineError(
      'expired',
      `The result image is no longer available from APIMart (${why}): result links expire soon after a task ends.`,
    ),
  );
}

function tooLarge(maxBytes: number): EngineFailure {
  const mb = Math.round(maxBytes / 1024 / 1024);
  return new EngineFailure(
    badResponse(
      `The result image from APIMart is larger than the ${mb} MB GenQueue accepts.`,
      false,
    ),
  );
}
