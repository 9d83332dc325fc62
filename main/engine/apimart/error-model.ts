// Turns every way a call to APIMart can go wrong into the one EngineError the queue reads to decide
// its next step (DESIGN.md §4): an HTTP status with its body, or a thrown network/abort error.
// Pure functions, so each rule is tested on bodies alone; the server's own words are quoted.
import { engineError, EngineFailure, type EngineError } from '../../contract/errors.ts';
import { redactKey } from './redact.ts';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Words that mean money, not a broken request: the queue pauses instead of failing the job. */
const BALANCE_WORDS = /balance|quota|insufficient[\s_-]*(?:funds|credit)|out of credit/i;

export function mentionsBalance(text: string | undefined): boolean {
  return text !== undefined && BALANCE_WORDS.test(text);
}

/** What a server said in an error body: `{ error: { message, type, code } }`, a flat message, or HTML. */
export function serverWords(body: string): {
  message?: string;
  type?: string;
  code?: string;
  html: boolean;
} {
  const text = body.trim();
  if (/^<(?:!doctype|html|head|body|\?xml)/i.test(text)) {
    const title =
      /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
    return { html: true, ...(title?.trim() ? { message: collapse(title) } : {}) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { html: false, ...(text ? { message: collapse(text.slice(0, 300)) } : {}) };
  }
  return { html: false, ...wordsFromJson(parsed) };
}

/** The message, type and code inside a parsed JSON error body, wherever the service put them. */
export function wordsFromJson(parsed: unknown): { message?: string; type?: string; code?: string } {
  if (!isRecord(parsed)) return {};
  const error = parsed.error;
  if (isRecord(error)) {
    return {
      ...(typeof error.message === 'string' ? { message: collapse(error.message) } : {}),
      ...(typeof error.type === 'string' ? { type: error.type } : {}),
      ...(typeof error.code === 'string' ? { code: error.code } : {}),
    };
  }
  const message = [error, parsed.message, parsed.msg, parsed.fail_reason].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return message === undefined ? {} : { message: collapse(message) };
}

/** The EngineError for a non-2xx HTTP reply. */
export function errorFromReply(reply: HttpReply, now = Date.now()): EngineError {
  const { status } = reply;
  const words = serverWords(reply.body);
  const keyAnswer = words.code === undefined ? undefined : IDEMPOTENCY_ANSWERS[words.code];
  if (keyAnswer && (status === 409 || status === 503)) return keyAnswer;
  const quoted = words.message === undefined ? '' : `: "${words.message}"`;
  const retryAfter = header(reply.headers, 'retry-after');
  const moneyWords = mentionsBalance(words.message) || mentionsBalance(words.type);
  // A 429 with a Retry-After is a rate window even when it speaks of a per-minute "quota".
  if (status === 402 || (moneyWords && !(status === 429 && retryAfter !== undefined))) {
    return engineError(
      'balance',
      `APIMart says the account cannot pay for this${quoted || ` (HTTP ${status})`}. Top up the balance; the queue waits until then.`,
      {
        pause: 'balance',
      },
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    const wait =
      retryAfterMs === undefined
        ? ''
        : ` GenQueue waits ${Math.ceil(retryAfterMs / 1000)} s before the next request.`;
    return engineError('rate_limited', `APIMart asked GenQueue to slow down${quoted}.${wait}`, {
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403) {
    return engineError(
      'auth',
      `APIMart did not accept the API key${quoted || ` (HTTP ${status})`}. Check the key in Settings.`,
      {
        pause: 'auth',
      },
    );
  }
  if (status === 413) {
    return engineError('too_large', `APIMart refused the file as too large${quoted}.`, {
      ...(words.message === undefined ? {} : { detail: words.message }),
    });
  }
  if (status >= 500 && refusesRecipe(words)) {
    // APIMart answers some bad sizes with HTTP 500 build_request_failed: the request, not the
    // server, is at fault, and sending it again would fail the same way (APIMART.md §7).
    return engineError(
      'invalid_recipe',
      `APIMart refused the recipe: "${words.message ?? words.code}".`,
      { detail: words.code ?? words.message },
    );
  }
  if (status >= 500) {
    const source = words.html ? ', an error page from a proxy' : '';
    return engineError(
      'server',
      `APIMart's server had a problem (HTTP ${status}${source})${quoted}.`,
      { retryable: true },
    );
  }
  if (status >= 400) {
    return engineError(
      'rejected',
      words.message === undefined
        ? `APIMart refused the request (HTTP ${status}) without saying why.`
        : `APIMart refused the request: "${words.message}".`,
      words.message === undefined ? {} : { detail: words.message },
    );
  }
  return badResponse(`APIMart answered with an unexpected HTTP ${status}.`);
}

/**
 * APIMart's answers about an Idempotency-Key (APIMART.md §7), as errors whose `detail` names the
 * answer, so decide() can tell waiting to resend the same key apart from asking a person.
 */
const IDEMPOTENCY_ANSWERS: Record<string, EngineError> = {
  idempotency_in_progress: engineError(
    'server',
    'APIMart is still working on the first request for this image; GenQueue asks again with the same key.',
    { retryable: true, detail: 'idempotency_in_progress' },
  ),
  idempotency_unavailable: engineError(
    'server',
    "APIMart could not check this request's idempotency key just now, so it did nothing; GenQueue sends it again with the same key.",
    { retryable: true, detail: 'idempotency_unavailable' },
  ),
  idempotency_key_reused: engineError(
    'rejected',
    'GenQueue sent a different request under a key it had already used (a GenQueue bug). APIMart refused it, so nothing was paid; Retry sends it as a new request.',
    { detail: 'idempotency_key_reused' },
  ),
  idempotency_result_indeterminate: engineError(
    'server',
    'APIMart cannot tell whether this task was created (it says the result of the request is indeterminate).',
    { detail: 'idempotency_result_indeterminate' },
  ),
};

/** Which of APIMart's idempotency answers `error` is, if any. */
export function idempotencyAnswer(error: EngineError): string | undefined {
  const detail = typeof error.detail === 'string' ? error.detail : undefined;
  return detail !== undefined && detail in IDEMPOTENCY_ANSWERS ? detail : undefined;
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined if unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'APIMart refused the connection: nothing answers at that address.',
  ENOTFOUND: "APIMart's address could not be looked up: the machine may be offline.",
  EAI_AGAIN: "APIMart's address could not be looked up: the machine may be offline.",
  ECONNRESET: 'The connection to APIMart was cut off.',
  EPIPE: 'The connection to APIMart was cut off.',
  UND_ERR_SOCKET: 'The connection to APIMart was cut off.',
  ECONNABORTED: 'The connection to APIMart was cut off.',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "APIMart's reply was cut off before its end.",
  ETIMEDOUT: 'APIMart could not be reached in time.',
  ENETUNREACH: 'The network is unreachable: the machine may be offline.',
  ENETDOWN: 'The network is down: the machine may be offline.',
  EHOSTUNREACH: 'APIMart cannot be reached from this network.',
  UND_ERR_CONNECT_TIMEOUT: 'APIMart did not accept the connection in time.',
  UND_ERR_HEADERS_TIMEOUT: 'APIMart took the request but did not answer in time.',
  UND_ERR_BODY_TIMEOUT: 'APIMart stopped sending its reply midway.',
};

/** The EngineError for anything thrown while talking to APIMart. */
export function errorFromThrown(thrown: unknown, signal?: AbortSignal): EngineError {
  if (thrown instanceof EngineFailure) return thrown.error;
  if (signal?.aborted) return engineError('cancelled', 'The request to APIMart was cancelled.');
  const code = errorCode(thrown);
  if (code === 'UND_ERR_ABORTED' || (thrown instanceof Error && thrown.name === 'AbortError')) {
    return engineError('cancelled', 'The request to APIMart was cancelled.');
  }
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
    return engineError(
      'cancelled',
      'The request was stopped because GenQueue closed its connection to APIMart.',
    );
  }
  if (code !== undefined && code in NETWORK) {
    return engineError('network', NETWORK[code]!, {
      retryable: true,
      pause: 'offline',
      detail: code,
    });
  }
  if (code?.startsWith('HPE_') || code === 'UND_ERR_INFO') {
    return badResponse('APIMart answered with something that is not valid HTTP.');
  }
  if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
    return engineError('io', 'The file changed on disk while it was being uploaded.', {
      retryable: true,
    });
  }
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  if (code !== undefined && /^E[A-Z]+$/.test(code)) {
    return engineError('io', `A file could not be read or written: ${text}`, { detail: code });
  }
  return engineError('internal', `Something went wrong while talking to APIMart: ${text}`);
}

export function badResponse(message: string, retryable = true): EngineError {
  return engineError('bad_response', message, { retryable });
}

/** Removes the API key, in any encoding, and any bearer token from an error before it leaves the client. */
export function redactError(error: EngineError, key: string | undefined): EngineError {
  const scrub = (text: string): string => redactKey(text, key);
  const detail = typeof error.detail === 'string' ? scrub(error.detail) : error.detail;
  return { ...error, message: scrub(error.message), ...(detail === undefined ? {} : { detail }) };
}

/** A reply header's (first) value. */
export function header(headers: HttpReply['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(thrown: unknown): string | undefined {
  for (let current = thrown, depth = 0; isRecord(current) && depth < 4; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Network failures that prove the request never left this machine (no connection was made). */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether a failed create-task request may still have created a task. Only a refusal the service
 * itself sent (an HTTP status), or a connection that never opened, proves it did not.
 */
export function mayHaveReachedService(error: EngineError): boolean {
  return error.code === 'network' && !NEVER_SENT.has(String(error.detail));
}

/** Words of a request whose parameters cannot be built into an upstream call. */
const RECIPE_WORDS =
  /build_request_failed|\b(?:invalid|unsupported)\s+(?:size|resolution|aspect[ _-]?ratio|n|quality|parameters?)\b/i;

/** Whether a 5xx is really a refusal of the recipe, by its code or its message. */
function refusesRecipe(words: { message?: string; code?: string }): boolean {
  return words.code === 'build_request_failed' || RECIPE_WORDS.test(words.message ?? '');
}
