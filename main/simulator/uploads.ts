// POST /v1/uploads/images: receives the multipart field `file` straight to disk, checks it the way
// APIMart does (type from the magic bytes, 20,971,520 bytes at most) and refuses as soon as it
// knows the answer, without reading the rest of a file it has already refused.
import type { IncomingMessage } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sniff, SNIFF_BYTES, type SniffedType } from './image-type.ts';
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

const ALLOWED = 'allowed: jpeg, png, gif, webp';
/** Bytes that follow a last part's data: CRLF "--" boundary "--" CRLF. */
const closingLength = (boundary: string): number => boundary.length + 8;

export async function receiveUpload(req: IncomingMessage, dir: string): Promise<ReceivedUpload> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) {
    throw new ApiError(
      400,
      'invalid_request_error',
      'request Content-Type must be multipart/form-data',
    );
  }
  const parser = new MultipartParser(boundary);
  const declaredLength = Number(req.headers['content-length'] ?? NaN);
  const tempPath = path.join(dir, `.incoming-${randomUUID()}`);
  const file = await open(tempPath, 'w');
  let received: Omit<ReceivedUpload, 'storedName' | 'contentType'> | null = null;
  let type: SniffedType | null = null;
  try {
    const hash = createHash('sha256');
    let head = Buffer.alloc(0);
    let current: { filename: string; offset: number; bytes: number } | null = null;
    const check = (final: boolean): void => {
      if (!current) return;
      if (current.bytes > MAX_UPLOAD_BYTES) {
        // The usual multipart body ends with the file part: its size follows from Content-Length.
        const estimate = declaredLength - current.offset - closingLength(boundary);
        const size = Number.isFinite(estimate) ? Math.max(estimate, current.bytes) : current.bytes;
        throw new ApiError(
          413,
          'invalid_request_error',
          `file size ${size} exceeds maximum ${MAX_UPLOAD_BYTES} bytes`,
          { Connection: 'close' },
        );
      }
      if (type === null && (head.length >= SNIFF_BYTES || final)) {
        type = sniff(head);
        if (type.extension === null) {
          throw new ApiError(
            400,
            'invalid_request_error',
            `unsupported image type: ${type.mime}, ${ALLOWED}`,
            {
              Connection: 'close',
            },
          );
        }
      }
    };
    for await (const chunk of req.iterator({ destroyOnReturn: false })) {
      for (const event of parser.push(chunk as Buffer)) {
        if (
          event.kind === 'part' &&
          event.name === 'file' &&
          received === null &&
          current === null
        ) {
          current = { filename: event.filename ?? 'upload', offset: event.offset, bytes: 0 };
        } else if (event.kind === 'data' && current) {
          current.bytes += event.bytes.length;
          if (head.length < SNIFF_BYTES) {
            head = Buffer.concat([head, event.bytes.subarray(0, SNIFF_BYTES - head.length)]);
          }
          check(false);
          hash.update(event.bytes);
          await file.write(event.bytes);
        } else if (event.kind === 'part-end' && current) {
          check(true);
          received = {
            filename: current.filename,
            bytes: current.bytes,
            sha256: hash.digest('hex'),
          };
          current = null;
        }
      }
      if (parser.done) break;
    }
    parser.end();
  } catch (thrown) {
    await file.close();
    await rm(tempPath, { force: true });
    throw thrown;
  }
  await file.close();
  if (received === null || type === null) {
    await rm(tempPath, { force: true });
    throw new ApiError(
      400,
      'invalid_request_error',
      'missing file field "file" in the multipart form',
    );
  }
  const sniffed: SniffedType = type;
  const storedName = `${randomUUID()}.${sniffed.extension}`;
  await rename(tempPath, path.join(dir, storedName));
  return { ...received, storedName, contentType: sniffed.mime };
}
