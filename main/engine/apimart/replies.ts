// Parsers for APIMart's 2xx reply bodies, accepting every documented shape (APIMART.md §1–4):
// create-task `data` as an array or an object, result `url` as a string or an array, tasks wrapped in
// `{ code, data }` or flat, and the 2026 shapes (`generation.task`, a synchronous `generation.result`).
// Each takes the raw text and returns a typed value or throws EngineFailure.
import { randomUUID } from 'node:crypto';
import { engineError, EngineFailure, type EngineError } from '../../contract/errors.ts';
import type { Balance } from '../../contract/schemas.ts';
import {
  badResponse,
  errorFromReply,
  isRecord,
  mentionsBalance,
  wordsFromJson,
} from './error-model.ts';

export interface TaskImage {
  url: string;
  expiresAt?: number;
}

export interface TaskState {
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  progress?: number;
  estimatedSeconds?: number;
  images: TaskImage[];
  error?: EngineError;
  /** What the task cost in USD, when APIMart says (`cost`, or `credits_cost` at 10 credits a dollar). */
  cost?: number;
}

/** A generation request's answer: a task to poll, or (`generation.result`) its images at once. */
export interface CreatedTask {
  taskId: string;
  /** APIMart answered with the original task of this key (`Idempotency-Replayed: true`). */
  replayed: boolean;
  /** A synchronous result: the images, with no task to poll. */
  images?: TaskImage[];
}

export interface UploadReply {
  url: string;
  bytes?: number;
}

const STATUSES: Record<string, TaskState['status']> = {
  submitted: 'pending',
  pending: 'pending',
  queued: 'pending',
  processing: 'processing',
  in_progress: 'processing',
  completed: 'completed',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
};

export function parseUploadReply(text: string): UploadReply {
  const body = payload(text, 'upload');
  const url = httpUrl(body.url);
  if (url === undefined) throw shape('upload', 'it has no file URL');
  const bytes = number(body.bytes);
  return { url, ...(bytes === undefined ? {} : { bytes }) };
}

export function parseCreateReply(text: string): Omit<CreatedTask, 'replayed'> {
  const body = payload(text, 'new task');
  const data = Array.isArray(body.data) ? body.data[0] : (body.data ?? body);
  const taskId = isRecord(data) ? [data.task_id, data.id].find(nonEmptyString) : undefined;
  if (isRecord(data) && data.object === 'generation.result') {
    // Synchronous: the images are here already. Its id (if any) names the results on disk.
    const images = taskImages(data);
    if (images.length === 0) throw shape('new task', 'it is a result without any image');
    return { taskId: taskId ?? `result_${randomUUID()}`, images };
  }
  if (taskId === undefined) throw shape('new task', 'it has no task id');
  return { taskId };
}

export function parseTaskReply(text: string): TaskState {
  const body = payload(text, 'task');
  const data = isRecord(body.data) ? body.data : body;
  if (typeof data.status !== 'string' || data.status.trim() === '') {
    throw shape('task', `its status ${JSON.stringify(data.status ?? null)} is not a word`);
  }
  // A status GenQueue does not know yet is taken as unfinished (APIMART.md §7): asked again later.
  const status = STATUSES[data.status.toLowerCase()] ?? 'processing';
  const progress = number(data.progress);
  const estimatedSeconds = number(data.estimated_time);
  const cost = taskCost(data);
  const state: TaskState = {
    status,
    images: taskImages(data),
    ...(progress === undefined ? {} : { progress: Math.min(100, Math.max(0, progress)) }),
    ...(estimatedSeconds === undefined ? {} : { estimatedSeconds: Math.max(0, estimatedSeconds) }),
    ...(cost === undefined ? {} : { cost }),
  };
  if (status === 'completed' && state.images.length === 0) {
    throw shape('task', 'it says completed but lists no image');
  }
  if (status === 'failed' || status === 'cancelled') state.error = taskError(status, data);
  return state;
}

export function parseBalanceReply(text: string): Balance {
  const body = payload(text, 'balance');
  const data = isRecord(body.data) ? body.data : body;
  if (data.success === false || body.success === false) {
    // Not a money signal: "failed to query balance" names the balance without being about it.
    const { message } = wordsFromJson(data);
    const quoted = message === undefined ? '' : `: "${message}"`;
    throw new EngineFailure(
      engineError('rejected', `APIMart could not report the balance${quoted}.`, {
        ...(message === undefined ? {} : { detail: message }),
      }),
    );
  }
  const remain = number(data.remain_balance);
  const used = number(data.used_balance);
  if (remain === undefined && used === undefined)
    throw shape('balance', 'it has no balance figures');
  const unlimited = data.unlimited_quota === true || remain === -1;
  return { remaining: unlimited ? null : (remain ?? null), used: used ?? null, unlimited };
}

/** The task's cost in USD: `cost`, else `credits_cost` / 10 (APIMART.md §7); never negative. */
function taskCost(data: Record<string, unknown>): number | undefined {
  const usd = number(data.cost);
  const credits = number(data.credits_cost);
  const cost = usd ?? (credits === undefined ? undefined : credits / 10);
  return cost === undefined || cost < 0 ? undefined : cost;
}

function taskImages(data: Record<string, unknown>): TaskImage[] {
  const result = data.result;
  const entries =
    isRecord(result) && Array.isArray(result.images)
      ? result.images
      : Array.isArray(data.images)
        ? data.images
        : [data];
  const images: TaskImage[] = [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const expiresAt = seconds(entry.expires_at);
    const urls = Array.isArray(entry.url) ? entry.url : [entry.url];
    for (const candidate of urls) {
      const url = httpUrl(candidate);
      if (url !== undefined)
        images.push({ url, ...(expiresAt === undefined ? {} : { expiresAt }) });
    }
  }
  return images;
}

function taskError(status: 'failed' | 'cancelled', data: Record<string, unknown>): EngineError {
  const { message } = wordsFromJson({ error: data.error, fail_reason: data.fail_reason });
  if (mentionsBalance(message)) {
    return engineError(
      'balance',
      `APIMart stopped the task because the account cannot pay: "${message}".`,
      {
        pause: 'balance',
      },
    );
  }
  // The sentence ends after the quote, so the server's own final full stop is dropped.
  const words = message?.replace(/\.+$/, '');
  const quoted = words === undefined ? '' : `: "${words}"`;
  const text =
    status === 'cancelled'
      ? `The task was cancelled on APIMart's side${quoted}.`
      : words === undefined
        ? 'APIMart could not make the image and did not say why.'
        : `APIMart could not make the image: "${words}".`;
  return engineError('task_failed', text, message === undefined ? {} : { detail: message });
}

/** The JSON object of a 2xx reply; an `{ error }` body or a non-200 `code` becomes its error. */
function payload(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const page = /^\s*</.test(text) ? 'an HTML page' : 'text that is not JSON';
    throw new EngineFailure(badResponse(`APIMart answered the ${what} request with ${page}.`));
  }
  if (!isRecord(parsed)) throw shape(what, 'it is not a JSON object');
  const code = number(parsed.code);
  const failed =
    (isRecord(parsed.error) && parsed.data === undefined) ||
    (code !== undefined && code !== 200 && code >= 400);
  if (failed) {
    const status = code !== undefined && code >= 400 && code < 600 ? code : 400;
    throw new EngineFailure(errorFromReply({ status, headers: {}, body: text }));
  }
  return parsed;
}

function shape(what: string, why: string): EngineFailure {
  return new EngineFailure(
    badResponse(`APIMart's reply to the ${what} request has an unexpected shape: ${why}.`),
  );
}

function number(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** A unix time in seconds (or already in ms when it is that large) as ms. */
function seconds(value: unknown): number | undefined {
  const at = number(value);
  if (at === undefined || at <= 0) return undefined;
  return at > 1e12 ? at : at * 1000;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function httpUrl(value: unknown): string | undefined {
  if (!nonEmptyString(value) || !URL.canParse(value)) return undefined;
  return /^https?:$/.test(new URL(value).protocol) ? value : undefined;
}
