// A multipart/form-data body with one file field, streamed straight from disk: the file is never
// held in memory, the exact Content-Length is known up front, and progress counts file bytes as
// they are handed to the socket. Built by hand because undici's FormData path is about 2× slower.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface MultipartFile {
  path: string;
  /** Bytes to send from the start of the file (its size when the upload began). */
  size: number;
  filename: string;
  contentType: string;
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  stream: Readable;
}

/** Read size per chunk: large chunks cut per-write overhead on fast links. */
const CHUNK = 1024 * 1024;

export function multipartBody(
  field: string,
  file: MultipartFile,
  onProgress?: (sent: number, total: number) => void,
): MultipartBody {
  const boundary = `----GenQueue${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${escapeName(field)}"; filename="${escapeName(file.filename)}"\r\n` +
      `Content-Type: ${file.contentType.replace(/[\r\n]/g, '')}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    let sent = 0;
    if (file.size > 0) {
      const source = createReadStream(file.path, {
        start: 0,
        end: file.size - 1,
        highWaterMark: CHUNK,
      });
      for await (const chunk of source as AsyncIterable<Buffer>) {
        sent += chunk.length;
        onProgress?.(sent, file.size);
        yield chunk;
      }
    }
    if (sent === 0) onProgress?.(0, file.size);
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.size + tail.length,
    // A Readable (not a bare iterator) so undici destroys it on abort, which closes the file.
    stream: Readable.from(parts(), { objectMode: false, highWaterMark: CHUNK }),
  };
}

/** The WHATWG form-data escaping for names: quotes and line breaks percent-encoded. */
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
