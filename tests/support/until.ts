// Waits for a condition that a real engine reaches in its own time: polls every 25 ms and fails
// with what it was waiting for, so a stuck test says why instead of hanging until its timeout.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
  /** What the test can say about the state it found, added to the timeout's message. */
  explain?: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const found = explain ? ` Found: ${await explain()}` : '';
      throw new Error(`Timed out waiting for ${what}.${found}`);
    }
    await sleep(25);
  }
}
