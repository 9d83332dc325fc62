// Where tests find the repository and its photo corpus (tests/fixtures/corpus: real camera and
// phone files, kept in the repository so a clone tests on its own), a temp folder per test, and
// the order things are undone when a test ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const CORPUS = resolve(REPO_ROOT, 'tests/fixtures/corpus');

const cleanups = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Runs `undo` when the test ends, the last registered first (like defer): an engine made after
 * its folders stops before they are removed. (node:test runs after-hooks in registration order.)
 */
export function onTestEnd(t: TestContext, undo: () => unknown): void {
  let list = cleanups.get(t);
  if (!list) {
    const registered: (() => unknown)[] = [];
    cleanups.set(t, registered);
    // Bounded: a cleanup that hangs fails its test instead of stalling the whole run. Every step
    // runs even when one fails (a server left open would keep the test file from ever exiting);
    // the first failure is then the test's.
    t.after(
      async () => {
        const failures: unknown[] = [];
        for (const step of registered.reverse()) {
          try {
            await step();
          } catch (error) {
            failures.push(error);
          }
        }
        if (failures.length > 0) throw failures[0];
      },
      { timeout: 60_000 },
    );
    list = registered;
  }
  list.push(undo);
}

export async function tempDir(t: TestContext, prefix = 'genqueue-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestEnd(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}
