import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineFailure } from '../../../../main/contract/errors.ts';
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

test('a link planted as the failure note is left alone: the note goes beside it, the file it points at is unchanged', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  await writeFile(join(outside, '.bashrc'), 'export SAFE=1\n');
  await mkdir(join(dir, 'failed'));
  await symlink(join(outside, '.bashrc'), join(dir, 'failed', 'a.png.txt'));
  await writeFile(join(dir, 'a.png'), 'A');
  const target = await moveOriginal(join(dir, 'a.png'), 'failed', 'rm -rf ~');
  assert.equal(target, join(dir, 'failed', 'a.png'));
  assert.equal(await readFile(join(outside, '.bashrc'), 'utf8'), 'export SAFE=1\n');
  assert.equal(await readlink(join(dir, 'failed', 'a.png.txt')), join(outside, '.bashrc'));
  assert.equal(await readFile(join(dir, 'failed', 'a.png (2).txt'), 'utf8'), 'rm -rf ~\n');
  assert.deepEqual((await readdir(join(dir, 'failed'))).sort(), [
    'a.png',
    'a.png (2).txt',
    'a.png.txt',
  ]);
  assert.deepEqual(await readdir(dir), ['failed']);
});

test('done/ that is a link to another folder is refused: nothing is written there and the original stays', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  await symlink(outside, join(dir, 'done'));
  await writeFile(join(dir, 'a.png'), 'A');
  await assert.rejects(moveOriginal(join(dir, 'a.png'), 'done'), (thrown: unknown) => {
    assert.ok(thrown instanceof EngineFailure);
    assert.match(thrown.message, /is a link to somewhere else, so GenQueue writes nothing into it/);
    return true;
  });
  assert.deepEqual(await readdir(outside), []);
  assert.equal(await readFile(join(dir, 'a.png'), 'utf8'), 'A');
});

test('failed/ that is a dangling link or a file is refused with a sentence, the original stays', async (t) => {
  const dir = await tempDir(t);
  await symlink(join(dir, 'nowhere'), join(dir, 'failed'));
  await writeFile(join(dir, 'a.png'), 'A');
  await assert.rejects(
    moveOriginal(join(dir, 'a.png'), 'failed', 'x'),
    /is a link to somewhere else/,
  );
  await writeFile(join(dir, 'done'), 'not a folder');
  await assert.rejects(moveOriginal(join(dir, 'a.png'), 'done'), /is not a folder/);
  assert.equal(await readFile(join(dir, 'a.png'), 'utf8'), 'A');
  assert.equal(await lstat(join(dir, 'nowhere')).catch(() => undefined), undefined);
});

for (const kind of ['a link to an outside file', 'a dangling link'] as const) {
  test(`${kind} planted as done/a.png is not replaced: the original goes to done/a (2).png`, async (t) => {
    const dir = await tempDir(t);
    const outside = await tempDir(t);
    const pointee = join(outside, 'victim.txt');
    if (kind === 'a link to an outside file') await writeFile(pointee, 'keep me');
    await mkdir(join(dir, 'done'));
    await symlink(pointee, join(dir, 'done', 'a.png'));
    await writeFile(join(dir, 'a.png'), 'A');
    const target = await moveOriginal(join(dir, 'a.png'), 'done');
    assert.equal(target, join(dir, 'done', 'a (2).png'));
    assert.equal(await readFile(target, 'utf8'), 'A');
    assert.ok((await lstat(join(dir, 'done', 'a.png'))).isSymbolicLink());
    assert.equal(await readlink(join(dir, 'done', 'a.png')), pointee);
    assert.deepEqual(
      await readdir(outside),
      kind === 'a link to an outside file' ? ['victim.txt'] : [],
    );
    if (kind === 'a link to an outside file')
      assert.equal(await readFile(pointee, 'utf8'), 'keep me');
    assert.deepEqual(await readdir(dir), ['done']);
  });
}
