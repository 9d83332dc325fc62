// POST /v1/uploads/images: receives the multipart field `file` straight to disk, checks it the way
// APIMart does (type from the magic bytes, 20,971,520 bytes at most) and refuses as soon as it
// knows the answer, without reading the rest of a file it has already refused.
import type { IncomingMessage } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { sniff, SNIFF_BYTES } from './image-type.ts';
import { boundaryOf, MultipartParser } from './multipart.ts';
import { ApiError } from './replies.ts';

export const MAX_UPLOAD_BYTES = 20_971_520;

export interface ReceivedUpload {
  storedName: string;
  filename: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** A type APIMart accepts: JPEG, PNG, GIF or WebP. */
type AcceptedType = { mime: string; extension: string };

/** An early refusal: the rest of the body is never parsed, so the connection is not reused. */
const refusal = (status: number, message: string): ApiError =>
  new ApiError(status, 'invalid_request_error', message, { Connection: 'close' });

/** The `file` part on its way to disk: counted, hashed and sniffed as its bytes arrive. */
class FilePart {
  readonly filename: string;
  readonly #sizeIfLast: number; // from Content-Length, when the part is the body's last
  readonly #limit: number;
  readonly #hash = createHash('sha256');
  readonly #out;
  readonly #written: Promise<void>;
  #head = Buffer.alloc(0);
  #type: AcceptedType | null = null;
  bytes = 0;

  constructor(filename: string, sizeIfLast: number, file: string, limit: number) {
    this.filename = filename;
    this.#sizeIfLast = sizeIfLast;
    this.#limit = limit;
    this.#out = createWriteStream(file, { highWaterMark: 1024 * 1024 });
    this.#written = finished(this.#out);
  }

  async write(bytes: Buffer): Promise<void> {
    this.bytes += bytes.length;
    if (this.bytes > this.#limit) {
      const size = Number.isFinite(this.#sizeIfLast)
        ? Math.max(this.#sizeIfLast, this.bytes)
        : this.bytes;
      throw refusal(413, `file size ${size} exceeds maximum ${this.#limit} bytes`);
    }
    if (this.#head.length < SNIFF_BYTES) {
      this.#head = Buffer.concat([this.#head, bytes.subarray(0, SNIFF_BYTES - this.#head.length)]);
      if (this.#head.length >= SNIFF_BYTES) this.#sniff();
    }
    this.#hash.update(bytes);
    if (!this.#out.write(bytes)) await once(this.#out, 'drain');
  }

  /** The part ended: its type (sniffed now if it was short) and hash, once on disk. */
  async finish(): Promise<{ type: AcceptedType; sha256: string }> {
    const type = this.#type ?? this.#sniff();
    this.#out.end();
    await this.#written;
    return { type, sha256: this.#hash.digest('hex') };
  }

  async discard(): Promise<void> {
    this.#out.destroy();
    await this.#written.catch(() => undefined);
  }

  #sniff(): AcceptedType {
    const { mime, extension } = sniff(this.#head);
    if (extension === null) {
      throw refusal(400, `unsupported image type: ${mime}, allowed: jpeg, png, gif, webp`);
    }
    this.#type = { mime, extension };
    return this.#type;
  }
}

export async function receiveUpload(
  req: IncomingMessage,
  dir: string,
  limit = MAX_UPLOAD_BYTES,
): Promise<ReceivedUpload> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) {
    throw new ApiError(400, 'invalid_request_error', 'Content-Type must be multipart/form-data');
  }
  const parser = new MultipartParser(boundary);
  const declaredLength = Number(req.headers['content-length'] ?? NaN);
  const closingLength = `\r\n--${boundary}--\r\n`.length;
  const tempPath = path.join(dir, `.incoming-${randomUUID()}`);
  let part: FilePart | null = null;
  let received: (Omit<ReceivedUpload, 'storedName'> & { extension: string }) | null = null;
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false })) {
      for (const event of parser.push(chunk as Buffer)) {
        if (event.kind === 'part' && event.name === 'file' && !part && !received) {
          const sizeIfLast = declaredLength - event.offset - closingLength;
          part = new FilePart(event.filename ?? 'upload', sizeIfLast, tempPath, limit);
        } else if (event.kind === 'data' && part) {
          await part.write(event.bytes);
        } else if (event.kind === 'part-end' && part) {
          const { type, sha256 } = await part.finish();
          const { filename, bytes } = part;
          received = { filename, bytes, sha256, contentType: type.mime, extension: type.extension };
          part = null;
        }
      }
      if (parser.done) break;
    }
    parser.end();
  } catch (thrown) {
    await part?.discard();
    await rm(tempPath, { force: true });
    throw thrown;
  }
  if (!received) {
    throw new ApiError(400, 'invalid_request_error', 'missing file field "file" in the form');
  }
  const { extension, ...upload } = received;
  const storedName = `${randomUUID()}.${extension}`;
  await rename(tempPath, path.join(dir, storedName));
  return { ...upload, storedName };
}
