// The one error shape that crosses any boundary (IPC, CLI JSON, in-process bridge).
// Engine code throws EngineFailure; hosts turn anything thrown into an EngineError with
// toEngineError, so nothing untyped ever reaches a user or the renderer.
import { z } from 'zod';

export const PauseReasonSchema = z.enum(['user', 'offline', 'auth', 'balance', 'disk']);
export type PauseReason = z.infer<typeof PauseReasonSchema>;

export const ErrorCodeSchema = z.enum([
  'bad_input', // a route or command was called with input that does not fit its schema
  'unknown_route',
  'not_found',
  'internal',
  'network', // DNS, connect refused, reset, timeout: the machine or the service is unreachable
  'rate_limited', // 429
  'server', // 5xx
  'auth', // 401 / 403
  'balance', // 402 or a balance / quota message
  'too_large', // 413 or a file the preflight cannot bring under the limit
  'rejected', // 400: the service refused the request, its message quoted
  'task_failed', // the generation itself failed (content policy, model error)
  'bad_response', // malformed JSON, an HTML error page, a reply of an unexpected shape or size
  'expired', // a result or upload URL that is no longer valid
  'not_image', // the bytes are not an image we can read
  'corrupt', // an image whose data is damaged or truncated
  'unsupported', // an image we recognise but cannot convert
  'too_many_pixels', // a decompression bomb refused before decoding
  'io', // a file that cannot be read or written (permissions, missing, disk full)
  'invalid_recipe', // model / size / n / reference images the catalogue says cannot work
  'cancelled',
  'duplicate',
  'busy', // another GenQueue instance holds this data directory
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const EngineErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retryable: z.boolean(),
  retryAfterMs: z.number().nonnegative().optional(),
  pause: PauseReasonSchema.optional(),
  detail: z.unknown().optional(),
});
export type EngineError = z.infer<typeof EngineErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export function engineError(
  code: ErrorCode,
  message: string,
  extra: Partial<Omit<EngineError, 'code' | 'message'>> = {},
): EngineError {
  return { code, message, retryable: false, ...extra };
}

/** Thrown inside the engine; carries a ready EngineError to the boundary. */
export class EngineFailure extends Error {
  readonly error: EngineError;
  constructor(error: EngineError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'EngineFailure';
    this.error = error;
  }
}

export function fail(code: ErrorCode, message: string, extra?: Partial<EngineError>): never {
  throw new EngineFailure(engineError(code, message, extra));
}

/** Anything thrown, as an EngineError. Unknown throws become `internal` with their message. */
export function toEngineError(thrown: unknown): EngineError {
  if (thrown instanceof EngineFailure) return thrown.error;
  const parsed = EngineErrorSchema.safeParse(thrown);
  if (parsed.success) return parsed.data;
  if (thrown instanceof Error && thrown.name === 'AbortError') {
    return engineError('cancelled', 'The operation was cancelled.');
  }
  const storage = storageTrouble(thrown);
  if (storage) return engineError('io', storage, { detail: (thrown as { code?: unknown }).code });
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return engineError('internal', `Something went wrong inside GenQueue: ${text}`);
}

/**
 * A full or read-only disk, said in one sentence wherever it surfaces (a file write's errno, or
 * SQLite's own result code: 13 full, 8 read-only, 10 I/O error), instead of an "internal" error.
 */
function storageTrouble(thrown: unknown): string | undefined {
  const { code, errcode } = (thrown ?? {}) as { code?: unknown; errcode?: unknown };
  const sqlite = typeof errcode === 'number' ? errcode & 0xff : undefined; // the primary code
  if (code === 'ENOSPC' || code === 'EDQUOT' || sqlite === 13)
    return 'The disk is full: GenQueue could not save its work. Free some space and try again; what was saved before is kept.';
  if (code === 'EROFS' || sqlite === 8)
    return 'The disk is read-only: GenQueue could not save its work there.';
  if (sqlite === 10)
    return 'GenQueue could not write its data (a disk I/O error): the disk may be full, read-only or failing.';
  return undefined;
}
