// Retry timing: exponential backoff with full jitter (AWS's "full jitter"), how long server errors
// are waited out, and the attempt budget for each other kind of failure. Kept apart so the policy
// can be read, and tested, on its own.
import type { ErrorCode } from '../../contract/errors.ts';
import { exponentialDelay } from '../util/backoff.ts';

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /**
   * How long one step waits out server errors (5xx) before the job fails, counted from the first
   * of them: an outage on APIMart's side is waited out like the network, within reason.
   */
  serverWindowMs?: number;
}

export const SERVER_ERROR_WINDOW_MS = 30 * 60_000;
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2000, capMs: 5 * 60_000 };

/** Delay before attempt number `attempt` (1 = the first retry): uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random = Math.random): number {
  const ceiling = exponentialDelay(attempt - 1, policy.baseMs, policy.capMs);
  return Math.round(random() * ceiling);
}

/**
 * How many failed attempts of each retryable kind one step of a job (upload, submit, download…)
 * may spend before the job fails for good. Server errors have a time window instead.
 */
const BUDGETS: Partial<Record<ErrorCode, number>> = {
  rate_limited: 20,
  bad_response: 4,
  network: 8,
};

export function attemptBudget(code: ErrorCode): number {
  return BUDGETS[code] ?? 3;
}
