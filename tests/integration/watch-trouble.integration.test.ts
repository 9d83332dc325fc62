// Watched folders when things go wrong or loop back: results written inside the watched folder
// are never taken again; a folder deleted, renamed or unreadable shows it on its status, is
// retried and resumes, while other folders carry on; originals move into done/ and failed/.
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { WatchFolderView } from '../../main/contract/watch.ts';
import { startTestEngine, tempDir, type TestEngine } from '../support/engine-harness.ts';
import { until as waitFor } from '../support/until.ts';
import { watchProbe } from '../support/watch-probe.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quick = { watch: { timing: { healthMs: 100, retryBaseMs: 100, retryCapMs: 400 } } };

function tinyPng(i: number): Promise<Buffer> {
  const background = { r: i % 256, g: 40, b: 90 };
  return sharp({ create: { width: 16, height: 16, channels: 3, background } })
    .png()
    .toBuffer();
}

async function until(
  te: TestEngine,
  id: string,
  done: (view: WatchFolderView) => boolean,
  limitMs = 20_000,
): Promise<WatchFolderView> {
  const deadline = Date.now() + limitMs;
  const view = async () => (await te.call('watch.list', {})).find((v) => v.id === id)!;
  let current = await view();
  while (!done(current) && Date.now() < deadline) {
    await sleep(50);
    current = await view();
  }
  return current;
}

test('results written inside the watched folder are never taken again', async (t) => {
  const inbox = await tempDir(t);
  // No output folder in the settings: results land in genqueue-output/ beside each source.
  const watching = watchProbe();
  const te = await startTestEngine(t, {
    settings: { outputDir: undefined },
    engine: { watch: { probe: watching.probe } },
  });
  // One folder sends results to a folder inside itself; the other uses the default, which is
  // genqueue-output/ beside each source, also inside.
  const inside = await te.call('watch.add', { path: join(inbox), outDir: join(inbox, 'results') });
  const second = join(await tempDir(t), 'second');
  await mkdir(second);
  const beside = await te.call('watch.add', { path: second });
  for (let i = 0; i < 3; i++) await writeFile(join(inbox, `in-${i}.png`), await tinyPng(i));
  for (let i = 0; i < 2; i++) await writeFile(join(second, `b-${i}.png`), await tinyPng(10 + i));

  assert.equal((await until(te, inside.id, (v) => v.counts.done >= 3)).counts.done, 3);
  assert.equal((await until(te, beside.id, (v) => v.counts.done >= 2)).counts.done, 2);
  const results = (await readdir(join(inbox, 'results'))).filter((name) => name.endsWith('.png'));
  assert.equal(results.length, 3);
  assert.equal(
    (await readdir(join(second, 'genqueue-output'))).length,
    4,
    'two results, two sidecars',
  );
  // Both folders looked at again, results and all: a result taken as input would show here.
  await Promise.all([watching.quiet(inside.id), watching.quiet(beside.id)]);
  assert.equal((await te.call('jobs.list', {})).total, 5);
  const views = await te.call('watch.list', {});
  assert.deepEqual(
    views.map((v) => v.counts.queued),
    [3, 2],
  );
});

test('a folder deleted and re-created shows it, then resumes; other folders carry on', async (t) => {
  const base = await tempDir(t);
  const fragile = join(base, 'fragile');
  const steady = join(base, 'steady');
  await mkdir(fragile);
  await mkdir(steady);
  const te = await startTestEngine(t, { engine: quick });
  await te.call('queue.pause', {});
  const broken = await te.call('watch.add', { path: fragile });
  const fine = await te.call('watch.add', { path: steady });
  await until(te, broken.id, (v) => v.status === 'watching');

  await rm(fragile, { recursive: true });
  const gone = await until(te, broken.id, (v) => v.status === 'error');
  assert.equal(gone.status, 'error');
  assert.match(gone.error ?? '', /cannot be found/);
  await writeFile(join(steady, 'meanwhile.png'), await tinyPng(1));
  assert.equal((await until(te, fine.id, (v) => v.counts.queued >= 1)).counts.queued, 1);

  await mkdir(fragile);
  const back = await until(te, broken.id, (v) => v.status === 'watching');
  assert.equal(back.status, 'watching');
  assert.equal(back.error, undefined);
  await writeFile(join(fragile, 'after.png'), await tinyPng(2));
  assert.equal((await until(te, broken.id, (v) => v.counts.queued >= 1)).counts.queued, 1);

  // Renamed away and replaced by a file: still trouble, still recovers when the folder is back.
  await rename(fragile, `${fragile}-old`);
  await writeFile(fragile, 'a file where the folder was');
  // The rename alone may be seen first ("cannot be found"); the next look finds the file.
  const notFolder = await until(te, broken.id, (v) => /not a folder/.test(v.error ?? ''));
  assert.equal(notFolder.status, 'error');
  assert.match(notFolder.error ?? '', /not a folder/);
  await rm(fragile);
  await rename(`${fragile}-old`, fragile);
  assert.equal((await until(te, broken.id, (v) => v.status === 'watching')).status, 'watching');
  assert.equal((await until(te, fine.id, () => true)).status, 'watching');
});

test('a folder GenQueue may no longer read shows it and resumes when allowed again', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: file permissions do not apply');
    return;
  }
  const folder = join(await tempDir(t), 'locked');
  await mkdir(folder);
  t.after(() => chmod(folder, 0o755));
  const te = await startTestEngine(t, { engine: quick });
  await te.call('queue.pause', {});
  const added = await te.call('watch.add', { path: folder });
  await until(te, added.id, (v) => v.status === 'watching');
  await chmod(folder, 0o000);
  const locked = await until(te, added.id, (v) => v.status === 'error');
  assert.match(locked.error ?? '', /not allowed to read/);
  await chmod(folder, 0o755);
  assert.equal((await until(te, added.id, (v) => v.status === 'watching')).status, 'watching');
});

test('originals move into done/ and failed/, the error in a .txt beside a failed one', async (t) => {
  const inbox = await tempDir(t);
  const watching = watchProbe();
  const te = await startTestEngine(t, { engine: { watch: { probe: watching.probe } } });
  const added = await te.call('watch.add', {
    path: inbox,
    outDir: join(await tempDir(t), 'results'),
    afterSuccess: 'move',
    afterFailure: 'move',
  });
  await writeFile(join(inbox, 'good.png'), await tinyPng(5));
  await writeFile(join(inbox, 'fake.png'), 'this is a text file with an image name');
  const settled = await until(te, added.id, (v) => v.counts.done + v.counts.failed >= 2);
  assert.deepEqual(settled.counts, { queued: 2, done: 1, failed: 1, skipped: 0 });
  // The move follows the job's final event: wait for the folder to empty.
  await waitFor(
    async () => !(await readdir(inbox)).some((n) => n.endsWith('.png')),
    'the originals to move out of the watched folder',
    10_000,
    async () => (await readdir(inbox)).join(', '),
  );
  assert.deepEqual(await readdir(join(inbox, 'done')), ['good.png']);
  assert.deepEqual((await readdir(join(inbox, 'failed'))).sort(), ['fake.png', 'fake.png.txt']);
  const reason = await readFile(join(inbox, 'failed', 'fake.png.txt'), 'utf8');
  const [failed] = (await te.call('jobs.list', { filter: 'failed' })).jobs;
  assert.equal(reason, `${failed?.error?.message}\n`);
  assert.match(reason, /image/i);
  assert.deepEqual((await readdir(inbox)).sort(), ['done', 'failed']);
  await watching.quiet(added.id);
  assert.equal((await te.call('jobs.list', {})).total, 2, 'moved originals are not taken again');
});
