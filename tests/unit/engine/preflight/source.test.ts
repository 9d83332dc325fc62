// A source file is read once: small files whole, large ones hashed in chunks that take turns. The
// hash must be the file's true SHA-256 at every size around the chunk boundaries, and a hash that
// is stopped must say so rather than hand back a partial digest.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSha256, readSource } from '../../../../main/engine/preflight/pipeline/source.ts';
import { tempDir } from '../../../support/paths.ts';

const MB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('a large file is hashed to its true SHA-256 at sizes around the chunk boundaries', async (t) => {
  const dir = await tempDir(t);
  for (const size of [1, MB - 1, MB, MB + 1, 2 * MB, 3 * MB + 12_345]) {
    const path = join(dir, `f${size}`);
    const bytes = randomBytes(size);
    await writeFile(path, bytes);
    const source = await readSource(path, 'f', 0); // over the keep limit: hashed in chunks
    assert.equal(source.bytes, undefined);
    assert.equal(await source.sha256, sha256(bytes), `${size} bytes`);
    assert.equal(await fileSha256(path, 'f'), sha256(bytes), `${size} bytes, fileSha256`);
    assert.deepEqual(source.head, bytes.subarray(0, source.head.length));
  }
});

test('a small file is kept whole and hashed at once', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'small');
  const bytes = randomBytes(5000);
  await writeFile(path, bytes);
  const source = await readSource(path, 'small', MB);
  assert.deepEqual(source.bytes, bytes);
  assert.equal(await source.sha256, sha256(bytes));
});

test('hashing a large file stops when its signal aborts', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'big');
  await writeFile(path, randomBytes(8 * MB));
  const controller = new AbortController();
  const source = await readSource(path, 'big', 0, controller.signal);
  controller.abort();
  await assert.rejects(source.sha256, { name: 'AbortError' });
});
