// Quitting never hangs and never loses work: the engine's stop() aborts in-flight work and leaves
// every job at its last durable step (each transition is already committed to SQLite), so the app
// waits for it only so long before exiting anyway.
/** The app exits this long after a quit at the latest (the 2 s promise, with room to exit). */
export const QUIT_DEADLINE_MS = 1800;

export type StopOutcome =
  { outcome: 'stopped' } | { outcome: 'timed-out' } | { outcome: 'failed'; error: unknown };

export async function stopWithin(stop: () => Promise<unknown>, ms: number): Promise<StopOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<StopOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'timed-out' }), ms);
  });
  const stopped = Promise.resolve()
    .then(stop)
    .then(
      (): StopOutcome => ({ outcome: 'stopped' }),
      (error: unknown): StopOutcome => ({ outcome: 'failed', error }),
    );
  try {
    return await Promise.race([stopped, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
