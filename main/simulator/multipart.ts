// A streaming multipart/form-data parser: bytes go in chunk by chunk, events come out, and no more
// than a boundary's length of data is ever held back. The upload route writes file parts straight
// to disk through it, so a 20 MB upload never sits in memory.
import { ApiError } from './replies.ts';

export type MultipartEvent =
  | { kind: 'part'; name: string; filename: string | null; offset: number }
  | { kind: 'data'; bytes: Buffer }
  | { kind: 'part-end' }
  | { kind: 'end' };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const HEADER_LIMIT = 16 * 1024;

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function malformed(why: string): ApiError {
  return new ApiError(400, 'invalid_request_error', `malformed multipart body: ${why}`);
}

export class MultipartParser {
  readonly #delimiter: Buffer;
  // The body is read as if it began with CRLF, so the first "--boundary" is found like every other.
  #pending: Buffer = CRLF;
  #pendingOffset = -CRLF.length; // position of #pending[0] in the real body
  #state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';

  constructor(boundary: string) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  push(chunk: Buffer): MultipartEvent[] {
    const events: MultipartEvent[] = [];
    if (this.#state === 'done') return events;
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (this.#step(events));
    return events;
  }

  /** The body ended: anything but a closed multipart body is malformed. */
  end(): void {
    if (this.#state !== 'done') throw malformed('the body ended before the closing boundary');
  }

  #consume(length: number): void {
    this.#pending = this.#pending.subarray(length);
    this.#pendingOffset += length;
  }

  /** One state transition; false when more bytes are needed. */
  #step(events: MultipartEvent[]): boolean {
    const pending = this.#pending;
    switch (this.#state) {
      case 'preamble':
      case 'body': {
        const at = pending.indexOf(this.#delimiter);
        const safe = at >= 0 ? at : Math.max(0, pending.length - (this.#delimiter.length - 1));
        if (this.#state === 'body' && safe > 0) {
          events.push({ kind: 'data', bytes: pending.subarray(0, safe) });
        }
        if (at < 0) {
          this.#consume(safe);
          return false;
        }
        if (this.#state === 'body') events.push({ kind: 'part-end' });
        this.#consume(at + this.#delimiter.length);
        this.#state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (pending.length < 2) return false;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          this.#state = 'done';
          events.push({ kind: 'end' });
          return false;
        }
        if (!pending.subarray(0, 2).equals(CRLF))
          throw malformed('a boundary is not followed by CRLF');
        this.#state = 'headers';
        return true;
      }
      case 'headers': {
        // #pending starts with the CRLF that ended the boundary line.
        const end = pending.indexOf(HEADER_END);
        if (end < 0) {
          if (pending.length > HEADER_LIMIT) throw malformed('part headers are too long');
          return false;
        }
        const headers = pending.subarray(2, end).toString('utf8');
        this.#consume(end + HEADER_END.length);
        events.push({ ...partIdentity(headers), offset: this.#pendingOffset, kind: 'part' });
        this.#state = 'body';
        return true;
      }
      case 'done':
        return false;
    }
  }
}

function partIdentity(headers: string): { name: string; filename: string | null } {
  const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  if (!disposition) throw malformed('a part has no Content-Disposition header');
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw malformed('a part has no name');
  const encoded = /;\s*filename\*=(?:UTF-8|utf-8)''([^;\s]+)/.exec(disposition)?.[1];
  const plain = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
  return { name, filename: encoded !== undefined ? percentDecoded(encoded) : (plain ?? null) };
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw malformed('a filename* parameter is not valid percent-encoding');
  }
}
