import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { moveOriginal } from '../../../../main/engine/watch/originals.ts';
import { tempDir } from '../../../support/paths.ts';

test('a done original moves into done/ beside it', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.png'), 'A');
  const target = await moveOriginal(join(dir, 'a.png'), 'done');
  assert.equal(target, join(dir, 'done', 'a.png'));
  assert.equal(await readFile(target, 'utf8'), 'A');
  assert.deepEqual(await readdir(dir), ['done']);
});

test('a failed original moves into failed/ with its error in a .txt, never overwriting', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.png'), 'first');
  await moveOriginal(join(dir, 'a.png'), 'failed', 'This file is not an image.');
  await writeFile(join(dir, 'a.png'), 'second');
  const target = await moveOriginal(join(dir, 'a.png'), 'failed', 'Still not an image.');
  assert.equal(target, join(dir, 'failed', 'a (2).png'));
  assert.deepEqual((await readdir(join(dir, 'failed'))).sort(), [
    'a (2).png',
    'a (2).png.txt',
    'a.png',
    'a.png.txt',
  ]);
  assert.equal(await readFile(join(dir, 'failed', 'a.png'), 'utf8'), 'first');
  assert.equal(
    await readFile(join(dir, 'failed', 'a (2).png.txt'), 'utf8'),
    'Still not an image.\n',
  );
});

test('an original that is already gone is not an error', async (t) => {
  const dir = await tempDir(t);
  assert.equal(await moveOriginal(join(dir, 'missing.png'), 'done'), undefined);
});
