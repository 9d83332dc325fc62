// The prepared cache's keys lead with the source's size, so whether the cache could hold a file is
// known before the file's hash is: a large file that no entry matches in size starts its full
// encode at once. Real entries in a temp folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  cacheKey,
  mayHoldSourceOfSize,
  readCached,
  writeCached,
} from '../../../../main/engine/preflight/cache/entries.ts';
import type { PreparedImage } from '../../../../main/engine/preflight/pipeline/types.ts';
import { tempDir } from '../../../support/paths.ts';

const SHA = 'a'.repeat(64);

function record(sourceBytes: number): Omit<PreparedImage, 'path'> {
  return {
    bytes: 3,
    format: 'jpeg',
    contentType: 'image/jpeg',
    width: 1,
    height: 1,
    sha256: SHA,
    sourceSha256: SHA,
    passthrough: false,
    report: {
      before: { format: 'PNG', width: 1, height: 1, bytes: sourceBytes },
      after: { format: 'JPEG', width: 1, height: 1, bytes: 3 },
      changes: [],
      summary: 'test',
    },
  };
}

test('a key names the source size and differs with content or settings', () => {
  const key = cacheKey(SHA, 31_000_000, { metadata: 'strip' });
  assert.match(key, /^31000000-[0-9a-f]{40}$/);
  assert.notEqual(cacheKey('b'.repeat(64), 31_000_000, { metadata: 'strip' }), key);
  assert.notEqual(cacheKey(SHA, 31_000_000, { metadata: 'keep' }), key);
  assert.equal(cacheKey(SHA, 31_000_000, { metadata: 'strip' }), key, 'stable');
});

test('the cache may hold a source only of a size it has an entry for', async (t) => {
  const dir = join(await tempDir(t), 'cache');
  assert.equal(await mayHoldSourceOfSize(dir, 31_000_000), false, 'no cache folder yet');
  const key = cacheKey(SHA, 31_000_000, { metadata: 'strip' });
  const stored = await writeCached(dir, key, record(31_000_000), new Uint8Array([1, 2, 3]));
  assert.equal(await mayHoldSourceOfSize(dir, 31_000_000), true);
  assert.equal(await mayHoldSourceOfSize(dir, 3_100_000), false, 'a prefix of the size is not it');
  assert.equal(await mayHoldSourceOfSize(dir, 310_000_000), false);
  assert.deepEqual(await readCached(dir, key, '/elsewhere/source.png'), stored);
});
