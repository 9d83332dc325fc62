// The queue's manners toward APIMart: after a 429 nobody calls until its Retry-After has passed,
// and concurrency is cut in half (multiplicative decrease), then raised again by one step per
// run of successes (additive increase) — AIMD, as TCP does it.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateGovernor {
  /** Resolves once no Retry-After window is open. */
  waitTurn(signal?: AbortSignal): Promise<void>;
  onRateLimited(retryAfterMs: number | undefined, now?: number): void;
  onSuccess(): void;
  /** The concurrency to use now for a pool configured at `configured`. */
  limit(configured: number): number;
  blockedUntil(): number;
}

export function createRateGovernor(
  options: { fallbackWaitMs?: number; successesPerStep?: number } = {},
): RateGovernor {
  const fallbackWaitMs = options.fallbackWaitMs ?? 5000;
  const successesPerStep = options.successesPerStep ?? 10;
  let until = 0;
  let factor = 1;
  let successes = 0;

  return {
    async waitTurn(signal) {
      for (let wait = until - Date.now(); wait > 0; wait = until - Date.now()) {
        await sleep(wait, undefined, { signal });
      }
    },
    onRateLimited(retryAfterMs, now = Date.now()) {
      until = Math.max(until, now + (retryAfterMs ?? fallbackWaitMs));
      factor = Math.max(1 / 64, factor / 2);
      successes = 0;
    },
    onSuccess() {
      if (factor >= 1 || ++successes < successesPerStep) return;
      successes = 0;
      factor = Math.min(1, factor * 1.25);
    },
    limit(configured) {
      return Math.max(1, Math.floor(configured * factor));
    },
    blockedUntil() {
      return until;
    },
  };
}
