// Watched folders across a stop and a start of the engine on the same data directory: files that
// arrive while GenQueue is closed are caught up once, nothing already taken is taken again, and
// the first-start "existing files" choice and disabling a folder behave as promised.
import assert from 'node:assert/strict';
import { copyFile, mkdir, open, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import sharp from 'sharp';
import { dispatch } from '../../main/contract/dispatch.ts';
import { EngineFailure } from '../../main/contract/errors.ts';
import type { RouteInput, RouteName, RouteOutput } from '../../main/contract/routes.ts';
import { DEFAULT_SETTINGS } from '../../main/contract/schemas.ts';
import type { WatchFolderView } from '../../main/contract/watch.ts';
import { createEngine } from '../../main/engine/engine.ts';
import type { WatchProbe } from '../../main/engine/watch/folder-watcher.ts';
import { memorySecrets, memorySettings } from '../../main/engine/host/ports.ts';
import { startSimulator, type Simulator } from '../../main/simulator/simulator.ts';
import { tempDir } from '../support/paths.ts';
import { watchProbe } from '../support/watch-probe.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tinyPng(i: number, salt = 0): Promise<Buffer> {
  const background = { r: i % 256, g: (i >> 8) % 256, b: salt };
  return sharp({ create: { width: 16, height: 16, channels: 3, background } })
    .png()
    .toBuffer();
}

/** An engine on `home` that can be stopped in the middle of a test and another one started. */
async function engineAt(home: string, simulator: Simulator, probe: WatchProbe) {
  const engine = await createEngine({
    home,
    version: '0.0.0-test',
    command: 'test',
    settings: memorySettings(DEFAULT_SETTINGS),
    secrets: memorySecrets(simulator.apiKey),
    baseUrl: simulator.url,
    timing: { minPollMs: 50, backoff: { baseMs: 50, capMs: 500 } },
    watch: { probe },
  });
  await engine.start();
  let stopped = false;
  const call = async <K extends RouteName>(route: K, input: RouteInput<K>) => {
    const result = await dispatch(engine.handlers, route, input);
    if (!result.ok) throw new EngineFailure(result.error);
    return result.value as RouteOutput<K>;
  };
  return {
    engine,
    call,
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.stop();
    },
    async view(): Promise<WatchFolderView> {
      const [view] = await call('watch.list', {});
      assert.ok(view);
      return view;
    },
    async until(done: (view: WatchFolderView) => boolean, limitMs = 30_000) {
      const deadline = Date.now() + limitMs;
      let view = await this.view();
      while (!done(view) && Date.now() < deadline) {
        await sleep(100);
        view = await this.view();
      }
      return view;
    },
    async sources(): Promise<string[]> {
      return (await call('jobs.list', { limit: 1000 })).jobs.map((job) => job.source);
    },
  };
}
type TestEngineAt = Awaited<ReturnType<typeof engineAt>>;

async function setup(t: TestContext) {
  const simulator = await startSimulator({ taskDurationMs: 200 });
  const home = await tempDir(t);
  const inbox = join(await tempDir(t), 'inbox');
  await mkdir(inbox);
  const running: TestEngineAt[] = [];
  const watching = watchProbe();
  t.after(async () => {
    for (const engine of running) await engine.stop();
    await simulator.close();
  });
  const start = async () => {
    const engine = await engineAt(home, simulator, watching.probe);
    running.push(engine);
    // Jobs only need to exist: held queued, they leave the machine to the watcher.
    await engine.call('queue.pause', {});
    return engine;
  };
  return { inbox, start, watching };
}

async function slowWrite(path: string, bytes: Buffer, overMs: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const step = Math.ceil(bytes.length / 10);
    for (let offset = 0; offset < bytes.length; offset += step) {
      await handle.write(bytes.subarray(offset, offset + step));
      await sleep(overMs / 10);
    }
  } finally {
    await handle.close();
  }
}

test('a restart in the middle of a burst catches up without duplicates', async (t) => {
  const { inbox, start, watching } = await setup(t);
  const first = await start();
  await first.call('watch.add', { path: inbox });
  assert.equal((await first.until((v) => v.status === 'watching')).status, 'watching');

  const expected: string[] = [];
  const slow = Array.from({ length: 5 }, async (_, k) => {
    const path = join(inbox, `slow-${k}.png`);
    expected.push(path);
    await slowWrite(path, await tinyPng(1000 + k), 2500);
  });
  for (let i = 0; i < 100; i++) {
    const path = join(inbox, i % 2 ? 'sub' : '', `first-${i}.png`);
    await mkdir(join(inbox, 'sub'), { recursive: true });
    await writeFile(path, await tinyPng(i));
    expected.push(path);
  }
  const middle = await first.until((v) => v.counts.queued >= 40);
  assert.ok(middle.counts.queued >= 40 && middle.counts.queued < 105, JSON.stringify(middle));
  const takenBefore = await first.sources();
  await first.stop();

  // While GenQueue is closed: more files, the slow writers finish, known files renamed and copied.
  for (let i = 100; i < 150; i++) {
    const path = join(inbox, `while-closed-${i}.png`);
    await writeFile(path, await tinyPng(i));
    expected.push(path);
  }
  await Promise.all(slow);
  const known = takenBefore.filter((source) => !basename(source).startsWith('slow'));
  for (const source of known.slice(0, 10)) await rename(source, `${source}-renamed.png`);
  for (const source of known.slice(10, 20)) await copyFile(source, `${source}-copy.png`);

  const second = await start();
  const caughtUp = await second.until((v) => v.counts.queued >= 155);
  assert.equal(caughtUp.counts.queued, 155, JSON.stringify(caughtUp.counts));
  const skipped = await second.until((v) => v.counts.skipped >= 20);
  assert.equal(skipped.counts.skipped, 20);
  await watching.quiet(caughtUp.id); // everything there looked at again: nothing more comes
  const sources = await second.sources();
  assert.equal(sources.length, 155);
  assert.deepEqual([...sources].sort(), [...expected].sort());
});

test('existing files can be ignored at the first start only; a disabled folder catches up when enabled', async (t) => {
  const { inbox, start, watching } = await setup(t);
  for (let i = 0; i < 5; i++) await writeFile(join(inbox, `old-${i}.png`), await tinyPng(i));
  const first = await start();
  const added = await first.call('watch.add', { path: inbox, existing: 'ignore' });
  // "Existing" means older than the watch: write the new file only once the watch has begun.
  await first.until((v) => v.status === 'watching');
  await sleep(50);
  await writeFile(join(inbox, 'new.png'), await tinyPng(10));
  assert.equal((await first.until((v) => v.counts.queued >= 1)).counts.queued, 1);
  assert.deepEqual(await first.sources(), [join(inbox, 'new.png')]);

  const disabled = await first.call('watch.update', { id: added.id, enabled: false });
  assert.equal(disabled.status, 'disabled');
  await writeFile(join(inbox, 'while-disabled.png'), await tinyPng(11));
  await first.stop();

  const startedBefore = watching.started.length;
  const second = await start();
  assert.deepEqual(watching.started.slice(startedBefore), [], 'no watcher runs for it');
  assert.equal((await second.view()).status, 'disabled');
  assert.equal((await second.sources()).length, 1, 'a disabled folder takes nothing');
  await second.call('watch.update', { id: added.id, enabled: true });
  const caughtUp = await second.until((v) => v.counts.queued >= 2);
  assert.equal(caughtUp.counts.queued, 2);
  assert.equal(caughtUp.status, 'watching');
  await watching.quiet(added.id);
  assert.deepEqual((await second.sources()).sort(), [
    join(inbox, 'new.png'),
    join(inbox, 'while-disabled.png'),
  ]);
});
