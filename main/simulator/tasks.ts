// Generation tasks: validation of the create body as APIMart does it, and each task's life
// (pending → processing → completed or failed) computed from the clock when it is polled, so a
// thousand tasks cost no timers at all.
import { randomBytes } from 'node:crypto';
import { hasSchema } from './catalogue.ts';
import { ApiError } from './replies.ts';

export interface TaskSpec {
  model: string;
  prompt: string;
  n: number;
  size: string | null;
  /** The resolution asked for (what the task is priced by), if any. */
  resolution?: string | null;
  imageUrls: string[];
}

export interface Task extends TaskSpec {
  id: string;
  createdAt: number;
  durationMs: number;
  failure: string | null;
  /** Upload file names of the reference images, in request order. */
  inputs: string[];
}

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed';

export const MAX_N = 15;

const bad = (message: string): ApiError => new ApiError(400, 'invalid_request_error', message);

/**
 * A size such as "16:9" (or pixels, "1881x836") as width / height; null for "auto"-like sizes
 * that follow the input, and for named ones ("square_hd").
 */
export function aspectRatioOf(size: string | null): number | null {
  const match = size === null ? null : /^(\d+(?:\.\d+)?)[:x](\d+(?:\.\d+)?)$/.exec(size);
  if (!match) return null;
  const ratio = Number(match[1]) / Number(match[2]);
  return Number.isFinite(ratio) && ratio > 0 ? ratio : null;
}

const FOLLOWS_INPUT = new Set(['auto', 'match_input_image']);

/**
 * Checks a create-task body. `resolveUpload` maps a URL to the stored upload it names, or null
 * when this simulator never issued it (the real service then fails to fetch it).
 */
export function parseTaskSpec(
  body: unknown,
  resolveUpload: (url: string) => string | null,
): { spec: TaskSpec; inputs: string[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw bad('request body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  if (typeof fields.model !== 'string' || fields.model === '') throw bad('model is required');
  if (typeof fields.prompt !== 'string' || fields.prompt === '') throw bad('prompt is required');
  const n = fields.n ?? 1;
  if (typeof n !== 'number') throw bad('n must be a number, not a string');
  if (!Number.isInteger(n) || n < 1 || n > MAX_N)
    throw bad(`n must be an integer from 1 to ${MAX_N}`);
  const size = fields.size ?? null;
  // A model with a schema had its size checked by it (catalogue.ts): named sizes are its own.
  const named = typeof size === 'string' && hasSchema(fields.model);
  if (
    size !== null &&
    (typeof size !== 'string' ||
      (!named && !FOLLOWS_INPUT.has(size) && aspectRatioOf(size) === null))
  ) {
    throw bad('size must be an aspect ratio such as 16:9, or auto');
  }
  const rawUrls = fields.image_urls ?? [];
  if (!Array.isArray(rawUrls)) throw bad('image_urls must be an array');
  const imageUrls = rawUrls.map((entry: unknown, i) => {
    const url =
      typeof entry === 'string'
        ? entry
        : entry !== null &&
            typeof entry === 'object' &&
            typeof (entry as { url?: unknown }).url === 'string'
          ? (entry as { url: string }).url
          : null;
    if (url === null) throw bad(`image_urls[${i}] must be a URL string or an object with a url`);
    return url;
  });
  const inputs = imageUrls.map((url, i) => {
    const stored = resolveUpload(url);
    if (stored === null) throw bad(`image_urls[${i}] could not be fetched`);
    return stored;
  });
  const mask = fields.mask_url;
  if (mask !== undefined && (typeof mask !== 'string' || resolveUpload(mask) === null)) {
    throw bad('mask_url could not be fetched');
  }
  const resolution = typeof fields.resolution === 'string' ? fields.resolution : null;
  const spec = { model: fields.model, prompt: fields.prompt, n, size, resolution, imageUrls };
  return { spec, inputs };
}

export function newTaskId(): string {
  return `task_01${Date.now().toString(36).toUpperCase()}${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** Where a task stands at `now`: a short pending phase, then progress climbing to 100. */
export function taskProgress(task: Task, now: number): { status: TaskStatus; progress: number } {
  const elapsed = now - task.createdAt;
  if (elapsed >= task.durationMs) {
    return task.failure === null
      ? { status: 'completed', progress: 100 }
      : { status: 'failed', progress: 100 };
  }
  if (elapsed < task.durationMs * 0.1) return { status: 'pending', progress: 0 };
  return {
    status: 'processing',
    progress: Math.min(99, Math.floor((elapsed / task.durationMs) * 100)),
  };
}
