// The primitives every write outside the data folder goes through: nothing already there, a link
// (dangling or not) included, is ever replaced or written through.
import assert from 'node:assert/strict';
import { lstat, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  linkExclusive,
  placeExclusive,
  writeNew,
  writeTemp,
} from '../../../../main/engine/results/exclusive-files.ts';
import { tempDir } from '../../../support/paths.ts';

test('a new file is never created over a file or through a link, dangling or not', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  await writeFile(join(outside, 'target'), 'private');
  await writeFile(join(dir, 'file'), 'mine');
  await symlink(join(outside, 'target'), join(dir, 'link'));
  await symlink(join(outside, 'missing'), join(dir, 'dangling'));
  for (const name of ['file', 'link', 'dangling']) {
    await assert.rejects(writeNew(join(dir, name), 'x'), { code: 'EEXIST' }, name);
  }
  assert.equal(await readFile(join(outside, 'target'), 'utf8'), 'private');
  await assert.rejects(lstat(join(outside, 'missing')), { code: 'ENOENT' });
  assert.equal(await readFile(join(dir, 'file'), 'utf8'), 'mine');
});

test('a temp file takes a taken name only when it is free, and then only its own name is removed', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  const temp = await writeTemp(dir, 'test', 'result');
  await symlink(join(outside, 'missing'), join(dir, 'dangling'));
  await writeFile(join(dir, 'taken'), 'mine');
  assert.equal(await linkExclusive(temp, join(dir, 'dangling')), false);
  assert.equal(await linkExclusive(temp, join(dir, 'taken')), false);
  assert.equal(await readlink(join(dir, 'dangling')), join(outside, 'missing'));
  assert.equal(await readFile(join(dir, 'taken'), 'utf8'), 'mine');
  assert.equal(await placeExclusive(temp, join(dir, 'free')), true);
  assert.equal(await readFile(join(dir, 'free'), 'utf8'), 'result');
  await assert.rejects(lstat(temp), { code: 'ENOENT' });
});
