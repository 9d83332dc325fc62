import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createFolderHealth,
  probeFolder,
  type ProbeFolder,
  type WatchTiming,
} from '../../../../main/engine/watch/folder-health.ts';
import { tempDir } from '../../../support/paths.ts';

const timing: WatchTiming = { healthMs: 100, retryBaseMs: 1000, retryCapMs: 4000, rescanMs: 500 };
const errno = (code: string) => Object.assign(new Error(code), { code });
/** Lets the health's awaits on the fake probe run (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A folder whose state the test sets: fine (with an identity), or failing with a code. */
function folder(t: TestContext, options: { rescanWanted?: () => boolean } = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const state = { id: 'dev:1', failing: undefined as string | undefined };
  const log: string[] = [];
  const probe: ProbeFolder = async () => {
    log.push('probe');
    if (state.failing) throw errno(state.failing);
    return { id: state.id, real: '/real/in' };
  };
  const abort = new AbortController();
  const health = createFolderHealth({
    root: '/in',
    timing,
    signal: abort.signal,
    probe,
    open: async () => void log.push('open'),
    close: async () => void log.push('close'),
    rescan: async () => void log.push('rescan'),
    changed: () => log.push(`changed:${health.status}`),
    ...options,
  });
  const tick = async (ms: number) => {
    t.mock.timers.tick(ms);
    await settle();
  };
  t.after(() => {
    abort.abort();
    health.stop();
  });
  return { health, state, log, tick, abort };
}

test('a readable folder is opened, looked at every healthMs and rescanned in full every rescanMs', async (t) => {
  const { health, log, tick } = folder(t);
  assert.equal(health.status, 'starting');
  await health.start();
  assert.deepEqual(log, ['probe', 'open', 'changed:watching']);
  assert.equal(health.real, '/real/in');
  log.length = 0;
  for (let look = 0; look < 5; look++) await tick(100);
  assert.deepEqual(log, ['probe', 'probe', 'probe', 'probe', 'probe', 'rescan']);
  log.length = 0;
  await tick(100);
  assert.deepEqual(log, ['probe'], 'the next full rescan is rescanMs later');
});

test('a folder that cannot be found says so, is retried with a growing delay, and resumes', async (t) => {
  const { health, state, log, tick } = folder(t);
  state.failing = 'ENOENT';
  await health.start();
  assert.equal(health.status, 'error');
  assert.match(health.error ?? '', /The folder \/in cannot be found/);
  assert.deepEqual(log, ['probe', 'close', 'changed:error']);
  log.length = 0;
  await tick(999);
  assert.deepEqual(log, [], 'no retry before retryBaseMs');
  await tick(1);
  await tick(1999);
  assert.deepEqual(log, ['probe', 'close'], 'the second retry waits twice as long');
  await tick(1);
  await tick(4000);
  assert.deepEqual(log, ['probe', 'close', 'probe', 'close', 'probe', 'close'], 'capped');
  state.failing = undefined;
  log.length = 0;
  await tick(4000);
  assert.deepEqual(log, ['probe', 'open', 'changed:watching']);
  assert.equal(health.error, undefined);
  state.failing = 'EACCES';
  await tick(100);
  assert.match(health.error ?? '', /not allowed to read the folder \/in/);
  log.length = 0;
  state.failing = undefined;
  await tick(1000);
  assert.deepEqual(log, ['probe', 'open', 'changed:watching'], 'a recovery starts the delays over');
});

test('a folder replaced by another, or by a file, is trouble until the folder is back', async (t) => {
  const { health, state, tick } = folder(t);
  await health.start();
  state.id = 'dev:2';
  await tick(100);
  assert.equal(health.status, 'error');
  assert.match(health.error ?? '', /cannot be found/);
  state.failing = 'ENOTDIR';
  await tick(1000);
  assert.equal(health.error, '/in is not a folder any more. GenQueue keeps looking for it.');
  state.failing = undefined;
  await tick(2000);
  assert.equal(health.status, 'watching', 'the new folder is watched as the folder');
});

test('trouble from elsewhere (files that cannot be queued) shows and is retried', async (t) => {
  const { health, log, tick } = folder(t);
  await health.start();
  log.length = 0;
  await health.trouble('Files in /in cannot be queued: disk full');
  assert.equal(health.status, 'error');
  assert.equal(health.error, 'Files in /in cannot be queued: disk full');
  await tick(100);
  assert.deepEqual(log, ['close', 'changed:error'], 'no periodic look while in trouble');
  await tick(900);
  assert.deepEqual(log.slice(2), ['probe', 'open', 'changed:watching']);
});

test('a full rescan is made on request: by recheck(true), or when a test asks', async (t) => {
  let wanted = false;
  const { health, log, tick } = folder(t, { rescanWanted: () => wanted });
  await health.start();
  log.length = 0;
  await health.recheck(true);
  assert.deepEqual(log, ['probe', 'rescan']);
  log.length = 0;
  await tick(100);
  assert.deepEqual(log, ['probe']);
  wanted = true;
  await tick(100);
  assert.deepEqual(log, ['probe', 'probe', 'rescan']);
});

test('once stopped, nothing more is looked at', async (t) => {
  const { health, log, tick, abort } = folder(t);
  await health.start();
  abort.abort();
  health.stop();
  log.length = 0;
  await tick(10_000);
  await health.recheck(true);
  assert.deepEqual(log, []);
});

test('probeFolder names what is wrong with the path, and finds the real folder', async (t) => {
  const dir = await tempDir(t);
  const inbox = join(dir, 'inbox');
  await mkdir(inbox);
  await writeFile(join(dir, 'file'), 'x');
  await symlink(inbox, join(dir, 'link'));
  const found = await probeFolder(join(dir, 'link'));
  assert.equal(found.real, await realpath(inbox));
  assert.equal(found.id, (await probeFolder(inbox)).id, 'the same folder through a link');
  await assert.rejects(probeFolder(join(dir, 'file')), { code: 'ENOTDIR' });
  await assert.rejects(probeFolder(join(dir, 'gone')), { code: 'ENOENT' });
});
