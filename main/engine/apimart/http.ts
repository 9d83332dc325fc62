// The one way the client sends a request: through a given undici dispatcher, with headers and body
// timeouts and the caller's AbortSignal, reading replies under a size cap. A non-2xx reply becomes
// its EngineError here, so every caller only ever sees a 2xx body or an EngineFailure.
import type { Dispatcher } from 'undici';
import { EngineFailure } from '../../contract/errors.ts';
import { badResponse, errorFromReply } from './error-model.ts';

export interface Transport {
  dispatcher: Dispatcher;
  headersMs: number;
  bodyMs: number;
  /** Awaited right before each request leaves (the queue's Retry-After window). */
  gate?: ((signal?: AbortSignal) => Promise<void>) | undefined;
  /** Shown every reply's headers, errors included (what the server speaks: key-support.ts). */
  onReply?: ((url: URL, headers: Dispatcher.ResponseData['headers']) => void) | undefined;
}

export interface SendOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** undici also takes an async iterable at run time (lib/core/request.js); its types lag. */
  body?: string | AsyncIterable<Buffer>;
  signal?: AbortSignal | undefined;
}

/** Larger JSON replies are refused as bad_response: no documented reply comes near this. */
export const JSON_REPLY_CAP = 1024 * 1024;
/** Error bodies are read up to here and then cut: enough for any message or proxy page title. */
const ERROR_BODY_CAP = 64 * 1024;

export async function send(
  transport: Transport,
  url: URL,
  options: SendOptions,
): Promise<Dispatcher.ResponseData> {
  await transport.gate?.(options.signal);
  const reply = await transport.dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: options.method,
    headers: options.headers ?? {},
    body: (options.body ?? null) as Dispatcher.DispatchOptions['body'],
    signal: options.signal ?? null,
    headersTimeout: transport.headersMs,
    bodyTimeout: transport.bodyMs,
  });
  transport.onReply?.(url, reply.headers);
  return reply;
}

/** Sends and returns the 2xx reply's text; any other status throws its EngineError. */
export async function sendForText(
  transport: Transport,
  url: URL,
  options: SendOptions,
): Promise<string> {
  return (await sendForReply(transport, url, options)).text;
}

/** Like sendForText, with the reply's headers. */
export async function sendForReply(
  transport: Transport,
  url: URL,
  options: SendOptions,
): Promise<{ text: string; headers: Dispatcher.ResponseData['headers'] }> {
  const reply = await send(transport, url, options);
  await throwUnlessOk(reply);
  const { text, truncated } = await readCapped(reply.body, JSON_REPLY_CAP);
  if (truncated) {
    throw new EngineFailure(
      badResponse(
        `APIMart's reply was larger than ${JSON_REPLY_CAP / 1024 / 1024} MB, far more than any answer it documents.`,
      ),
    );
  }
  return { text, headers: reply.headers };
}

/** Throws the EngineError for a reply that is not 2xx (after reading a capped part of its body). */
export async function throwUnlessOk(reply: Dispatcher.ResponseData): Promise<void> {
  if (reply.statusCode >= 200 && reply.statusCode < 300) return;
  const { text } = await readCapped(reply.body, ERROR_BODY_CAP);
  throw new EngineFailure(
    errorFromReply({ status: reply.statusCode, headers: reply.headers, body: text }),
  );
}

/** Reads a body as UTF-8 up to `cap` bytes; past it, stops reading and destroys the rest. */
export async function readCapped(
  body: Dispatcher.ResponseData['body'],
  cap: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) {
      chunks.push(chunk.subarray(0, chunk.length - (size - cap)));
      body.on('error', () => {}); // leaving the loop destroys the body: its abort error is expected
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
