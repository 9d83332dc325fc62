// Exponential backoff, written once: how long the n-th retry waits, doubling from a base up to a
// cap. Job retries (queue/backoff.ts adds full jitter), the offline probe, a watched folder's
// restart and a file's stat retries all grow their waits through it, each with its own numbers.

/** `baseMs`·2^`retry` (retry 0 waits `baseMs`), at most `capMs`. */
export function exponentialDelay(retry: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, retry));
}
