// Bounded concurrency, written once: the watch code's file work (a burst of ten thousand files
// becomes a few stats and hashes at a time, not ten thousand open handles) and `genqueue prepare`
// (a few hundred MB per prepare) both run through it.

/** Runs fn over items with at most `limit` calls in flight. */
export async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** A shared gate: at most `limit` of the functions given to run() execute at once. */
export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(fn) {
      // A finishing call hands its slot straight to the next waiter, so the count never overshoots.
      if (active < limit) active++;
      else await new Promise<void>((go) => waiting.push(go));
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}
