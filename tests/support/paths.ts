// Where tests find the repository and the shared photo corpus (CI clones the repo elsewhere with
// shared/ beside it), and a temp folder per test that is removed when the test ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const CORPUS = resolve(REPO_ROOT, '../shared/corpus');

export async function tempDir(t: TestContext, prefix = 'genqueue-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
