// The engine's only door to APIMart: one undici Agent (keep-alive, per-origin connection limit,
// connect/headers/body timeouts), an AbortSignal on every call, streamed uploads and downloads.
// Every failure leaves as an EngineFailure whose EngineError tells the queue what to do next;
// the API key travels only in the Authorization header and is scrubbed from every error.
import { stat } from 'node:fs/promises';
import { Agent, type Dispatcher } from 'undici';
import { checkRecipe, findModel, type ModelInfo } from '../../contract/catalogue.ts';
import { engineError, EngineFailure } from '../../contract/errors.ts';
import type { Balance, Recipe } from '../../contract/schemas.ts';
import {
  guardedConnector,
  isLocalAddress,
  isLocalHost,
  type AddressPolicy,
} from './address-guard.ts';
import { downloadImage, type DownloadedImage, type DownloadOptions } from './download.ts';
import { errorFromThrown, header, redactError, type HttpReply } from './error-model.ts';
import { sendForReply, sendForText, type Transport } from './http.ts';
import type { ReplyEvidence } from './key-support.ts';
import { multipartBody } from './multipart.ts';
import {
  parseBalanceReply,
  parseCreateReply,
  parseTaskReply,
  parseUploadReply,
  type CreatedTask,
  type TaskState,
} from './replies.ts';

export type { DownloadedImage } from './download.ts';
export { isFileChanged } from './multipart.ts';
export type { CreatedTask, TaskImage, TaskState } from './replies.ts';

export interface ApimartClientOptions {
  baseUrl: string;
  /** Read before every request, so a key changed in Settings takes effect at once. */
  apiKey: () => string | undefined | Promise<string | undefined>;
  /** For APIMart's own endpoints; default: one Agent created (and closed) by the client. */
  dispatcher?: Dispatcher;
  /**
   * How result addresses are judged (a test seam: tests treat a second loopback address as the
   * local network). Result downloads always go through the client's own guarded Agent.
   */
  resultAddresses?: Omit<AddressPolicy, 'allowLocal'>;
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /**
   * Awaited right before every request is sent, so nothing leaves inside a Retry-After window
   * even when the call was started before the 429 arrived.
   */
  gate?: (signal?: AbortSignal) => Promise<void>;
  /** Told what each of APIMart's replies shows about idempotency keys (key-support.ts). */
  onEvidence?: (evidence: ReplyEvidence) => void;
}

export interface UploadRecord {
  url: string;
  bytes: number;
  /** ms; taken when the upload started, so the validity window is never overestimated. */
  createdAt: number;
  /** ms, createdAt + 72 h. */
  expiresAt: number;
}

export interface ApimartClient {
  /** With `sha256`, bytes that no longer hash to it are never sent whole: isFileChanged(thrown). */
  upload(
    file: { path: string; filename: string; contentType: string; sha256?: string },
    opts: { signal?: AbortSignal; onProgress?: (sent: number, total: number) => void },
  ): Promise<UploadRecord>;
  /**
   * Sends a generation request: `body` as it was stored with its intent, under `key`, so a resend
   * of an unknown outcome is byte for byte the request APIMart may already have carried out.
   */
  createTask(
    request: { body: string; key: string },
    opts: { signal?: AbortSignal },
  ): Promise<CreatedTask>;
  getTask(taskId: string, opts: { signal?: AbortSignal }): Promise<TaskState>;
  /** Atomic: a temp file beside `destination`, checked and decoded, then renamed into place. */
  download(url: string, destination: string, opts: DownloadOptions): Promise<DownloadedImage>;
  balance(opts: { signal?: AbortSignal }): Promise<Balance>;
  close(): Promise<void>;
  /** GETs one of APIMart's read-only discovery routes (catalogue-client.ts reads the reply). */
  read(
    path: string,
    query: Record<string, string>,
    opts: { signal?: AbortSignal },
  ): Promise<string>;
}

export const UPLOAD_VALIDITY_MS = 72 * 60 * 60 * 1000;
/** Connections kept per origin: enough for the default 4 uploads + 4 downloads + polling. */
const CONNECTIONS_PER_ORIGIN = 16;
const DEFAULT_TIMEOUTS = { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 };
const USER_AGENT = 'GenQueue/0.1 (+https://github.com/genqueue)';
/** The reply version GenQueue speaks (APIMART.md §7); a server that echoes it honours keys. */
export const RESPONSE_VERSION = '2026-07-27';
const GENERATIONS = '/v1/images/generations';

export function createApimartClient(options: ApimartClientOptions): ApimartClient {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const base = new URL(options.baseUrl);
  const ownAgent =
    options.dispatcher === undefined
      ? new Agent({
          connections: CONNECTIONS_PER_ORIGIN,
          keepAliveTimeout: 30_000,
          connect: { timeout: timeouts.connectMs },
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyMs,
        })
      : undefined;
  const resultAgent = resultAgentFor(options, base, timeouts);
  const api = apiTransport(options, options.dispatcher ?? ownAgent!, timeouts);
  // Result links may live on a CDN that redirects (download.ts follows); the key is never sent there.
  const files: Transport = { ...api, dispatcher: resultAgent, onReply: undefined };

  function endpoint(path: string): URL {
    const url = new URL(base.href);
    url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
    return url;
  }

  /** The headers of an APIMart call; remembers the key in `call` so errors can be scrubbed of it. */
  async function authHeaders(call: { key?: string }): Promise<Record<string, string>> {
    const key = (await options.apiKey())?.trim();
    if (key) call.key = key;
    if (!key) {
      throw new EngineFailure(
        engineError(
          'auth',
          'No APIMart API key is set. Add one in Settings (or APIMART_API_KEY for the command line).',
          { pause: 'auth' },
        ),
      );
    }
    return {
      authorization: `Bearer ${key}`,
      'user-agent': USER_AGENT,
      accept: 'application/json',
      'x-apimart-response-version': RESPONSE_VERSION,
    };
  }

  /** Runs one call; whatever it throws leaves as an EngineFailure with the key scrubbed. */
  async function guarded<T>(
    signal: AbortSignal | undefined,
    run: (call: { key?: string }) => Promise<T>,
  ): Promise<T> {
    const call: { key?: string } = {};
    try {
      signal?.throwIfAborted();
      return await run(call);
    } catch (thrown) {
      throw new EngineFailure(redactError(errorFromThrown(thrown, signal), call.key), {
        cause: thrown,
      });
    }
  }

  return {
    upload: (file, opts) =>
      guarded(opts.signal, async (call) => {
        const headers = await authHeaders(call);
        const createdAt = Date.now();
        const size = await fileSize(file.path);
        const body = multipartBody('file', { ...file, size }, opts.onProgress);
        const text = await sendForText(api, endpoint('/v1/uploads/images'), {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': body.contentType,
            'content-length': String(body.contentLength),
          },
          body: body.chunks,
          signal: opts.signal,
        }).finally(() => body.chunks.return()); // closes the file if undici stopped pulling
        const reply = parseUploadReply(text);
        return {
          url: reply.url,
          bytes: reply.bytes ?? size,
          createdAt,
          expiresAt: createdAt + UPLOAD_VALIDITY_MS,
        };
      }),

    createTask: (request, opts) =>
      guarded(opts.signal, async (call) => {
        const reply = await sendForReply(api, endpoint(GENERATIONS), {
          method: 'POST',
          headers: {
            ...(await authHeaders(call)),
            'content-type': 'application/json',
            'idempotency-key': request.key,
          },
          body: request.body,
          signal: opts.signal,
        });
        return { ...parseCreateReply(reply.text), replayed: isReplay(reply.headers) };
      }),

    getTask: (taskId, opts) =>
      guarded(opts.signal, async (call) => {
        const url = endpoint(`/v1/tasks/${encodeURIComponent(taskId)}`);
        url.searchParams.set('language', 'en');
        const text = await sendForText(api, url, {
          method: 'GET',
          headers: await authHeaders(call),
          signal: opts.signal,
        });
        // A failed task's reason is the server's own text: scrubbed like any thrown error.
        const state = parseTaskReply(text);
        return state.error ? { ...state, error: redactError(state.error, call.key) } : state;
      }),

    download: (url, destination, opts) =>
      guarded(opts.signal, () => downloadImage(files, url, destination, opts)),

    balance: (opts) =>
      guarded(opts.signal, async (call) => {
        const text = await sendForText(api, endpoint('/v1/user/balance'), {
          method: 'GET',
          headers: await authHeaders(call),
          signal: opts.signal,
        });
        return parseBalanceReply(text);
      }),

    close: async () => {
      await Promise.all([ownAgent?.destroy(), resultAgent.destroy()]);
    },

    read: (path, query, opts) =>
      guarded(opts.signal, async (call) => {
        const url = endpoint(path);
        for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
        return sendForText(api, url, {
          method: 'GET',
          headers: await authHeaders(call),
          signal: opts.signal,
        });
      }),
  };
}

/**
 * The generation request's body as the bytes to send: the recipe's fields APIMart takes, and the
 * uploaded images. Refused in a sentence when the catalogue says the model cannot take the recipe.
 */
export function generationRequest(
  recipe: Recipe,
  imageUrls: readonly string[],
  /** The model's entry in the live catalogue (engine/models/); the built-in table's if not given. */
  info: ModelInfo | undefined = findModel(recipe.model),
): string {
  const refusal = checkRecipe(recipe, imageUrls.length, info);
  if (refusal !== undefined) throw new EngineFailure(engineError('invalid_recipe', refusal));
  return JSON.stringify({
    // The model's own options (quality, watermark, …), named as its schema names them.
    ...recipe.options,
    model: recipe.model,
    prompt: recipe.prompt,
    ...(recipe.size === undefined ? {} : { size: recipe.size }),
    ...(recipe.resolution === undefined ? {} : { resolution: recipe.resolution }),
    ...(recipe.n === undefined ? {} : { n: recipe.n }),
    ...(imageUrls.length === 0 ? {} : { image_urls: imageUrls }),
  });
}

/** Whether APIMart answered with the original task of the request's key. */
function isReplay(headers: HttpReply['headers']): boolean {
  return header(headers, 'idempotency-replayed')?.trim().toLowerCase() === 'true';
}

/** How APIMart's own endpoints are reached; each reply shows what the server says of keys. */
function apiTransport(
  options: ApimartClientOptions,
  dispatcher: Dispatcher,
  timeouts: typeof DEFAULT_TIMEOUTS,
): Transport {
  return {
    dispatcher,
    headersMs: timeouts.headersMs,
    bodyMs: timeouts.bodyMs,
    gate: options.gate,
    onReply: (url, headers) =>
      options.onEvidence?.({
        generation: url.pathname.endsWith(GENERATIONS),
        echoed: header(headers, 'x-apimart-response-version')?.trim() === RESPONSE_VERSION,
        replayed: isReplay(headers),
      }),
  };
}

/** The pool for result links, which come from the server: local addresses only when APIMart is. */
function resultAgentFor(
  options: ApimartClientOptions,
  base: URL,
  timeouts: typeof DEFAULT_TIMEOUTS,
): Agent {
  const isLocal = options.resultAddresses?.isLocal ?? isLocalAddress;
  return new Agent({
    connections: CONNECTIONS_PER_ORIGIN,
    connect: guardedConnector(
      { ...options.resultAddresses, allowLocal: isLocalHost(base.hostname, isLocal) },
      { timeout: timeouts.connectMs },
    ),
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
}

async function fileSize(path: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new EngineFailure(
      engineError(
        'io',
        `The file to upload cannot be read (${error.code ?? error.message}): "${path}".`,
        {
          detail: error.code,
        },
      ),
    );
  });
  if (!info.isFile()) {
    throw new EngineFailure(
      engineError('io', `"${path}" is not a file, so it cannot be uploaded.`),
    );
  }
  return info.size;
}
