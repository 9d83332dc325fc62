// The answers the simulator gives, as values: route handlers return a Reply (or throw an ApiError)
// and the server alone writes them, so a fault can replace or swallow any answer in one place.
// Error bodies follow APIMart: { "error": { "message", "type" } }, with a `code` where APIMart
// names one (the 2026 idempotency errors).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

export type ErrorType =
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'authentication_error'
  | 'insufficient_quota'
  | 'server_error'
  | 'idempotency_error';

export type Reply = (
  | { status: number; json: unknown }
  | { status: number; html: string }
  | { status: 200; file: string; contentType: string }
) & { headers?: Record<string, string> };

/** An HTTP error answer thrown from deep inside a handler (a body that fails validation, …). */
export class ApiError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly headers: Record<string, string>;
  readonly code: string | undefined;
  constructor(
    status: number,
    type: ErrorType,
    message: string,
    headers: Record<string, string> = {},
    code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.headers = headers;
    this.code = code;
  }
}

/** `{ error: { message, type } }`, or `{ error: { code, message, type } }` when a code is given. */
export function errorReply(
  status: number,
  type: ErrorType,
  message: string,
  headers?: Record<string, string>,
  code?: string,
): Reply {
  const error = code === undefined ? { message, type } : { code, message, type };
  return { status, json: { error }, ...(headers ? { headers } : {}) };
}

export function replyForThrown(thrown: unknown): Reply {
  if (thrown instanceof ApiError) {
    return errorReply(thrown.status, thrown.type, thrown.message, thrown.headers, thrown.code);
  }
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return errorReply(500, 'server_error', `internal error: ${text}`);
}

export const PROXY_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** The same reply with more headers (later ones win). */
export function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

export async function writeReply(res: ServerResponse, reply: Reply): Promise<void> {
  if ('file' in reply) {
    res.writeHead(200, { 'Content-Type': reply.contentType, ...reply.headers });
    await pipeline(createReadStream(reply.file), res);
    return;
  }
  const isJson = 'json' in reply;
  const body = isJson ? JSON.stringify(reply.json) : reply.html;
  res.writeHead(reply.status, {
    'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/html',
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}

const JSON_BODY_LIMIT = 1024 * 1024;

/** Reads a request body's bytes (at most 1 MiB; more is a 413 like the real service's). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > JSON_BODY_LIMIT) {
      throw new ApiError(413, 'invalid_request_error', 'request body exceeds 1048576 bytes', {
        Connection: 'close',
      });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** A body's bytes as JSON; anything else is a 400 like the real service's. */
export function parseJsonBody(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_request_error', 'request body is not valid JSON');
  }
}
