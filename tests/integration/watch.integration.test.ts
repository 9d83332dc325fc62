// A real engine watching a real folder with the real native watcher: 500 distinct images arrive
// in bursts (plain writes, temp-then-rename, slow writers over 3 s, a whole folder moved in,
// nested folders), then renames, re-copies and delete+re-copy. Exactly one job per distinct
// image and recipe; a changed recipe or edited bytes make a new job.
import assert from 'node:assert/strict';
import { copyFile, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { WatchFolderView } from '../../main/contract/watch.ts';
import { startTestEngine, tempDir, type TestEngine } from '../support/engine-harness.ts';
import { watchProbe } from '../support/watch-probe.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 16×16 PNG whose colour (and so hash) is unique to `i` and `salt`. */
function tinyPng(i: number, salt = 0): Promise<Buffer> {
  const background = { r: i % 256, g: (i >> 8) % 256, b: salt };
  return sharp({ create: { width: 16, height: 16, channels: 3, background } })
    .png()
    .toBuffer();
}

async function folderView(te: TestEngine): Promise<WatchFolderView> {
  const [view] = await te.call('watch.list', {});
  assert.ok(view);
  return view;
}

/** Polls the folder's view until `done` holds; the caller asserts on what it returns. */
async function until(
  te: TestEngine,
  done: (view: WatchFolderView) => boolean,
  limitMs = 40_000,
): Promise<WatchFolderView> {
  const deadline = Date.now() + limitMs;
  let view = await folderView(te);
  while (!done(view) && Date.now() < deadline) {
    await sleep(100);
    view = await folderView(te);
  }
  return view;
}

async function jobSources(te: TestEngine): Promise<string[]> {
  const page = await te.call('jobs.list', { limit: 1000 });
  return page.jobs.map((job) => job.source);
}

async function put(path: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** Writes `bytes` in ten chunks spread over `overMs`, like a slow network copy. */
async function slowWrite(path: string, bytes: Buffer, overMs: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const step = Math.ceil(bytes.length / 10);
    for (let offset = 0; offset < bytes.length; offset += step) {
      await handle.write(bytes.subarray(offset, offset + step));
      await handle.sync();
      await sleep(overMs / 10);
    }
  } finally {
    await handle.close();
  }
}

test('500 images in bursts: exactly one job per distinct image and recipe', async (t) => {
  const root = await tempDir(t);
  const inbox = join(root, 'inbox');
  const staging = join(root, 'staging');
  await mkdir(inbox);
  const watching = watchProbe();
  const te = await startTestEngine(t, { engine: { watch: { probe: watching.probe } } });
  // Jobs only need to exist: held queued, they leave the machine to the watcher.
  await te.call('queue.pause', {});
  await te.call('watch.add', { path: inbox });
  assert.equal((await until(te, (v) => v.status === 'watching')).status, 'watching');

  const images = await Promise.all(Array.from({ length: 500 }, (_, i) => tinyPng(i)));
  const placed: string[] = [];
  const place = async (path: string, i: number) => {
    await put(path, images[i]!);
    placed[i] = path;
  };

  // Burst 1: 150 plain writes into nested folders.
  await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      place(join(inbox, ['', 'a', 'a/b', 'c/d/e'][i % 4]!, `plain-${i}.png`), i),
    ),
  );
  // Burst 2: 100 written under temporary names, then renamed.
  const temps = ['.part', '.tmp', '.crdownload'];
  await Promise.all(
    Array.from({ length: 100 }, async (_, k) => {
      const i = 150 + k;
      const final = join(inbox, 'a', `renamed-${i}.png`);
      const temp = k % 4 === 3 ? join(inbox, 'a', `~$renamed-${i}.png`) : `${final}${temps[k % 3]}`;
      await put(temp, images[i]!);
      await sleep(20);
      await rename(temp, final);
      placed[i] = final;
    }),
  );
  // Burst 3 (running while bursts 4 and 5 land): 10 slow writers, 3 s each.
  const slow = Promise.all(
    Array.from({ length: 10 }, (_, k) => {
      const i = 250 + k;
      placed[i] = join(inbox, 'slow', `slow-${i}.png`);
      return mkdir(join(inbox, 'slow'), { recursive: true }).then(() =>
        slowWrite(placed[i]!, images[i]!, 3000),
      );
    }),
  );
  // Burst 4: 140 files made elsewhere, then their whole folder moved in.
  await Promise.all(
    Array.from({ length: 140 }, (_, k) =>
      put(join(staging, `moved-${260 + k}.png`), images[260 + k]!),
    ),
  );
  await rename(staging, join(inbox, 'moved'));
  for (let k = 0; k < 140; k++) placed[260 + k] = join(inbox, 'moved', `moved-${260 + k}.png`);
  // Burst 5: 100 more, with hidden files and non-images mixed in (never counted).
  await Promise.all(
    Array.from({ length: 100 }, async (_, k) => {
      const i = 400 + k;
      await place(join(inbox, 'late', `late-${i}.png`), i);
      if (k % 10 === 0) {
        await put(join(inbox, 'late', `.hidden-${i}.png`), await tinyPng(i, 1));
        await put(join(inbox, 'late', `notes-${i}.txt`), Buffer.from('not an image'));
      }
    }),
  );
  await slow;

  const afterBursts = await until(te, (v) => v.counts.queued >= 500);
  assert.equal(afterBursts.counts.queued, 500, JSON.stringify(afterBursts));
  const sources = await jobSources(te);
  assert.equal(new Set(sources).size, 500);
  assert.deepEqual([...sources].sort(), [...placed].sort());

  // Renames, re-copies under new names, and delete + re-copy to the same path: all known bytes.
  for (let k = 0; k < 20; k++)
    await rename(placed[k]!, join(dirname(placed[k]!), `moved-name-${k}.png`));
  for (let k = 20; k < 50; k++) await copyFile(placed[k]!, join(inbox, 'c', `copy-${k}.png`));
  for (let k = 50; k < 70; k++) await rm(placed[k]!);
  await sleep(300);
  for (let k = 50; k < 70; k++) await writeFile(placed[k]!, images[k]!);

  const afterCopies = await until(te, (v) => v.counts.skipped >= 70);
  assert.equal(afterCopies.counts.skipped, 70, JSON.stringify(afterCopies.counts));
  await watching.quiet(afterCopies.id); // everything there looked at again: nothing more comes
  assert.equal((await folderView(te)).counts.queued, 500);
  assert.equal((await te.call('jobs.list', {})).total, 500);

  // Edited bytes under a known name are new work.
  await writeFile(placed[100]!, await tinyPng(100, 9));
  assert.equal((await until(te, (v) => v.counts.queued >= 501)).counts.queued, 501);

  // A new recipe makes the same bytes new work.
  await te.call('watch.update', { id: afterCopies.id, recipe: { prompt: 'Make it charcoal' } });
  for (let k = 70; k < 75; k++) await copyFile(placed[k]!, join(inbox, `again-${k}.png`));
  assert.equal((await until(te, (v) => v.counts.queued >= 506)).counts.queued, 506);
  const page = await te.call('jobs.list', { limit: 1000 });
  assert.equal(page.total, 506);
  const charcoal = page.jobs.filter((job) => job.recipe.prompt === 'Make it charcoal');
  assert.deepEqual(
    charcoal.map((job) => job.name).sort(),
    [70, 71, 72, 73, 74].map((k) => `again-${k}.png`),
  );
});

test('files written into folders made at once with mkdir -p are all taken', async (t) => {
  const inbox = await tempDir(t);
  const te = await startTestEngine(t);
  await te.call('queue.pause', {});
  await te.call('watch.add', { path: inbox });
  assert.equal((await until(te, (v) => v.status === 'watching')).status, 'watching');
  const expected: string[] = [];
  for (let d = 0; d < 5; d++) {
    const deep = join(inbox, `import-${d}`, '2024', '06');
    await mkdir(deep, { recursive: true });
    await sleep(200); // the folders exist, empty, before anything lands in them
    for (let i = 0; i < 10; i++) {
      const path = join(deep, `p-${d}-${i}.png`);
      await writeFile(path, await tinyPng(d * 10 + i, 3));
      expected.push(path);
    }
  }
  const view = await until(te, (v) => v.counts.queued >= 50, 15_000);
  assert.equal(view.counts.queued, 50);
  assert.deepEqual((await jobSources(te)).sort(), expected.sort());
});
