// Where tests find the repository and its photo corpus (tests/fixtures/corpus: real camera and
// phone files, kept in the repository so a clone tests on its own), a temp folder per test, and
// the order things are undone when a test ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const CORPUS = resolve(REPO_ROOT, 'tests/fixtures/corpus');

interface Cleanup {
  steps: (() => unknown)[];
  dirs: string[];
}
const cleanups = new WeakMap<TestContext, Cleanup>();

/**
 * The test's cleanup, registered once: its steps run the last registered first (like defer), and
 * its temp folders are removed only after every step, so an engine or server made before a folder
 * it writes into has stopped before the folder goes. Bounded: a cleanup that hangs fails its test
 * instead of stalling the whole run. Every step runs even when one fails (a server left open would
 * keep the test file from ever exiting); the first failure is then the test's.
 */
function cleanupOf(t: TestContext): Cleanup {
  let cleanup = cleanups.get(t);
  if (!cleanup) {
    const registered: Cleanup = { steps: [], dirs: [] };
    cleanups.set(t, registered);
    t.after(
      async () => {
        const failures: unknown[] = [];
        const removals = registered.dirs.map(
          (dir) => () => rm(dir, { recursive: true, force: true, maxRetries: 5 }),
        );
        for (const step of [...registered.steps.reverse(), ...removals]) {
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
    cleanup = registered;
  }
  return cleanup;
}

/** Runs `undo` when the test ends, the last registered first, before temp folders are removed. */
export function onTestEnd(t: TestContext, undo: () => unknown): void {
  cleanupOf(t).steps.push(undo);
}

/** A new folder for this test, removed when it ends, after everything else has stopped. */
export async function tempDir(t: TestContext, prefix = 'genqueue-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanupOf(t).dirs.push(dir);
  return dir;
}
