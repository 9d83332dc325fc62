// The prepared cache stays within its budget: oldest entries go first, what an unfinished job
// needs stays, and a crash's leftovers go once they are old. Real files in a temp folder.
import assert from 'node:assert/strict';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { prunePreparedCache } from '../../../../main/engine/preflight/cache/prune.ts';
import { tempDir } from '../../../support/paths.ts';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 25, 12);

/** Writes `name` with `bytes` bytes, last modified `hoursAgo` before NOW. */
async function put(dir: string, name: string, bytes: number, hoursAgo: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, Buffer.alloc(bytes, 1));
  const when = new Date(NOW - hoursAgo * HOUR);
  await utimes(path, when, when);
  return path;
}

async function entry(dir: string, key: string, bytes: number, hoursAgo: number): Promise<string> {
  await put(dir, `${key}.json`, 100, hoursAgo);
  return put(dir, `${key}.jpg`, bytes, hoursAgo);
}

test('removes the oldest entries, image and record together, until the cache fits its budget', async (t) => {
  const dir = await tempDir(t);
  await entry(dir, 'a', 1000, 30);
  await entry(dir, 'b', 1000, 20);
  await entry(dir, 'c', 1000, 10);
  const result = await prunePreparedCache(dir, { budgetBytes: 2300, inUse: new Set(), now: NOW });
  assert.deepEqual((await readdir(dir)).sort(), ['b.jpg', 'b.json', 'c.jpg', 'c.json']);
  assert.deepEqual(result, { removedEntries: 1, freedBytes: 1100, keptBytes: 2200 });
});

test('never removes an entry an unfinished job still needs, however old', async (t) => {
  const dir = await tempDir(t);
  const needed = await entry(dir, 'a', 1000, 300);
  await entry(dir, 'b', 1000, 20);
  await prunePreparedCache(dir, { budgetBytes: 1500, inUse: new Set([needed]), now: NOW });
  assert.deepEqual((await readdir(dir)).sort(), ['a.jpg', 'a.json']);
});

test("removes a crash's leftovers once they are an hour old, and nothing else under budget", async (t) => {
  const dir = await tempDir(t);
  await put(dir, 'old.json.1234.tmp', 50, 2);
  await put(dir, 'fresh.jpg.5678.tmp', 50, 0);
  await put(dir, 'half.webp', 500, 2); // its record was never written
  await entry(dir, 'whole', 1000, 48);
  const result = await prunePreparedCache(dir, { inUse: new Set(), now: NOW });
  assert.deepEqual((await readdir(dir)).sort(), ['fresh.jpg.5678.tmp', 'whole.jpg', 'whole.json']);
  assert.equal(result.removedEntries, 2);
});

test('a cache folder that does not exist yet is nothing to prune', async (t) => {
  const dir = await tempDir(t);
  const result = await prunePreparedCache(join(dir, 'missing'), { inUse: new Set(), now: NOW });
  assert.deepEqual(result, { removedEntries: 0, freedBytes: 0, keptBytes: 0 });
});
