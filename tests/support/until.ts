// Waits for a condition that a real engine reaches in its own time: polls every 25 ms and fails
// with what it was waiting for, so a stuck test says why instead of hanging until its timeout.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(25);
  }
}
