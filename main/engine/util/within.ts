// Waiting for something, but only so long: a submission waits a few seconds for a first balance,
// the CLI a few for the model catalogue, and stopping the engine a bounded time for each part.
// Written once, so every such wait clears its timer and none keeps the process alive.

/** `work`'s value, or undefined when it takes longer than `ms` (it goes on in the background). */
export async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
