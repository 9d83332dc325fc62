// Fetches one result image into a new file of its own: redirects followed only to https (or the
// same origin), streamed under a size cap into a file created exclusively (never through a link,
// never over anything), its type checked from the bytes and fully decoded under a pixel limit.
import { open, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import type { Dispatcher } from 'undici';
import { engineError, EngineFailure } from '../../contract/errors.ts';
import { openExclusive } from '../results/exclusive-files.ts';
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
/**
 * The most pixels a result may have: over three times the largest documented result (a 4K 21:9
 * image, ~19 MP). A 32 KB PNG can claim 16,383² pixels and take seconds to decode: it is refused
 * from its header.
 */
export const MAX_RESULT_PIXELS = 64 * 1024 * 1024;
const GONE = new Set([401, 403, 404, 410]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

/** Downloads `url` into `destination`, a new file (an existing one, or a link there, is refused). */
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
  const reply = await fetchFollowing(transport, new URL(url), options.signal);
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
  let created = false;
  try {
    const file = await openExclusive(destination);
    created = true;
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(bytes > maxBytes ? tooLarge(maxBytes) : null, chunk);
      },
    });
    const streaming = options.signal ? { signal: options.signal } : {};
    await pipeline(reply.body, counter, file.createWriteStream(), streaming);
    return await checkResultImage(destination, bytes);
  } catch (error) {
    void reply.body.dump(); // quiet, whether the body ended or broke off
    if (created) await rm(destination, { force: true });
    throw error;
  }
}

/**
 * GETs `url`, following up to three redirects, each only to https or within the same origin (a
 * CDN may move a link; a plain-http hop elsewhere is refused). Where each hop may connect is the
 * transport's own guard (address-guard.ts).
 */
async function fetchFollowing(
  transport: Transport,
  url: URL,
  signal: AbortSignal | undefined,
): Promise<Dispatcher.ResponseData> {
  for (let hops = 0, current = url; ; hops++) {
    const reply = await send(transport, current, { method: 'GET', signal });
    const location = reply.headers.location;
    if (!REDIRECTS.has(reply.statusCode) || typeof location !== 'string') return reply;
    void reply.body.dump();
    const next = URL.canParse(location, current.href) ? new URL(location, current) : undefined;
    if (
      hops === MAX_REDIRECTS ||
      !next ||
      !(next.protocol === 'https:' || next.origin === current.origin)
    ) {
      const why =
        hops === MAX_REDIRECTS
          ? 'more than three times'
          : `to "${location.slice(0, 200)}", which is not https`;
      throw new EngineFailure(
        badResponse(
          `The result link from APIMart redirected ${why}: GenQueue does not follow it.`,
          false,
        ),
      );
    }
    current = next;
  }
}

/** Checks that `file` is a whole JPEG, PNG, WebP or GIF of a size fit for a result. */
export async function checkResultImage(file: string, bytes?: number): Promise<DownloadedImage> {
  const sniffed = await sniff(file);
  if (sniffed === undefined) {
    throw new EngineFailure(
      badResponse('The result APIMart sent is not a JPEG, PNG, WebP or GIF image.'),
    );
  }
  const meta = await sharp(file)
    .metadata()
    .catch(() => undefined); // the header only
  if (meta && meta.width * meta.height > MAX_RESULT_PIXELS) {
    const mp = Math.round(MAX_RESULT_PIXELS / 1024 / 1024);
    throw new EngineFailure(
      badResponse(
        `The result image from APIMart claims ${meta.width} × ${meta.height} pixels, more than the ${mp} megapixels GenQueue accepts for a result.`,
        false,
      ),
    );
  }
  try {
    if (!meta) throw new Error('no header');
    // Decodes every pixel in one pass, shrinking as it goes (a 64 MP result in ~40 MB, not 250):
    // a truncated or damaged file fails here.
    await sharp(file, {
      failOn: 'error',
      limitInputPixels: MAX_RESULT_PIXELS,
      sequentialRead: true,
    })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
    return {
      path: file,
      bytes: bytes ?? (await stat(file)).size,
      format: sniffed,
      width: meta.width,
      height: meta.height,
    };
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
      `The result image is no longer available from APIMart (${why}): result links last 72 hours after a task ends.`,
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
