// Watched folders and what is planted in them: a link to a private image elsewhere (there before
// the watch began, or added while it runs), a link to a folder outside, a link to a file inside and
// a named pipe are never read; each is passed over and listed in the folder's skipped list with why.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { WatchFolderView } from '../../main/contract/watch.ts';
import { startTestEngine, tempDir, type TestEngine } from '../support/engine-harness.ts';
import { until } from '../support/until.ts';

function tinyPng(shade: number): Promise<Buffer> {
  const background = { r: shade, g: 40, b: 90 };
  return sharp({ create: { width: 16, height: 16, channels: 3, background } })
    .png()
    .toBuffer();
}

async function viewOf(te: TestEngine, id: string): Promise<WatchFolderView> {
  return (await te.call('watch.list', {})).find((view) => view.id === id)!;
}

function reasonFor(view: WatchFolderView, name: string): string | undefined {
  return view.skippedFiles.find((skipped) => skipped.path.endsWith(`/${name}`))?.reason;
}

test('links in a watched folder are never followed out of it; each is listed as skipped', async (t) => {
  if (process.platform === 'win32') return void t.skip('symlinks need privileges on Windows');
  const inbox = await tempDir(t);
  const elsewhere = await tempDir(t);
  await writeFile(join(elsewhere, 'private.png'), await tinyPng(1));
  await mkdir(join(elsewhere, 'album'));
  await writeFile(join(elsewhere, 'album', 'holiday.png'), await tinyPng(2));
  await writeFile(join(inbox, 'real.png'), await tinyPng(3));
  await symlink(join(elsewhere, 'private.png'), join(inbox, 'innocent.jpg'));
  await symlink(join(inbox, 'real.png'), join(inbox, 'alias.png'));
  await symlink(join(elsewhere, 'album'), join(inbox, 'album'));
  const te = await startTestEngine(t);
  const out = join(await tempDir(t), 'results');
  const added = await te.call('watch.add', { path: inbox, outDir: out });

  const listed = (view: WatchFolderView): boolean =>
    view.counts.done >= 1 &&
    ['innocent.jpg', 'alias.png', 'album'].every((n) => reasonFor(view, n));
  await until(async () => listed(await viewOf(te, added.id)), 'the first scan to settle');
  // Planted while the watch runs: the same answer through the watcher's own events.
  await symlink(join(elsewhere, 'private.png'), join(inbox, 'late.png'));
  await until(
    async () => reasonFor(await viewOf(te, added.id), 'late.png') !== undefined,
    'the late link to be listed',
  );

  const view = await viewOf(te, added.id);
  assert.match(reasonFor(view, 'innocent.jpg')!, /link to a file outside the watched folder/);
  assert.match(reasonFor(view, 'late.png')!, /link to a file outside the watched folder/);
  assert.match(reasonFor(view, 'alias.png')!, /takes the file it points to/);
  assert.match(reasonFor(view, 'album')!, /does not walk into linked folders/);
  assert.equal(view.counts.skipped, 4, JSON.stringify(view.skippedFiles));
  const jobs = (await te.call('jobs.list', {})).jobs;
  assert.deepEqual(
    jobs.map((job) => job.source),
    [join(inbox, 'real.png')],
    'only the real file, never a linked one or one in a linked folder',
  );
  assert.deepEqual(
    (await readdir(out)).filter((name) => !name.endsWith('.json')),
    ['real-gemini-3-pro-image-preview-1.png'],
  );
  assert.deepEqual((await readdir(inbox)).sort(), [
    'album',
    'alias.png',
    'innocent.jpg',
    'late.png',
    'real.png',
  ]);
});

test('a named pipe planted in a watched folder is passed over without blocking the folder', async (t) => {
  if (process.platform === 'win32') return void t.skip('no named pipes in folders on Windows');
  const inbox = await tempDir(t);
  const elsewhere = await tempDir(t);
  execFileSync('mkfifo', [join(elsewhere, 'pipe.png')]);
  // The pipe itself is not a file the scan takes; a link to it with an image name would be opened.
  await symlink(join(elsewhere, 'pipe.png'), join(inbox, 'pipe-link.png'));
  execFileSync('mkfifo', [join(inbox, 'fifo.png')]);
  const te = await startTestEngine(t);
  const added = await te.call('watch.add', { path: inbox, outDir: join(inbox, 'out') });
  await writeFile(join(inbox, 'after.png'), await tinyPng(4));
  await until(
    async () => {
      const view = await viewOf(te, added.id);
      return (
        view.counts.done >= 1 && ['pipe-link.png', 'fifo.png'].every((n) => reasonFor(view, n))
      );
    },
    'the image after the pipe to be done and the link to the pipe listed',
    10_000,
    async () => JSON.stringify([await viewOf(te, added.id), await te.call('jobs.list', {})]),
  );
  const view = await viewOf(te, added.id);
  assert.match(reasonFor(view, 'pipe-link.png')!, /link to a file outside/);
  assert.match(reasonFor(view, 'fifo.png')!, /This is a named pipe, not an image file/);
  assert.equal((await te.call('jobs.list', {})).total, 1);
});
