import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  createStabilityTracker,
  type StabilityOptions,
} from '../../../../main/engine/watch/stability.ts';
import type { FileStamp } from '../../../../main/engine/watch/watch-store.ts';

const errno = (code: string) => Object.assign(new Error(code), { code });
/** Lets the tracker's awaits on the fake file table run (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

type Kind = 'file' | 'dir' | 'link';
interface Entry {
  kind: Kind;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * A tracker on a mocked clock over a table of files the test writes to (stamped with that clock),
 * so every window is exact and "nothing more happened" is the clock having moved past it.
 */
function tracked(t: TestContext, stableMs: number) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const files = new Map<string, Entry | string>();
  const stable: { path: string; stamp: FileStamp; at: number }[] = [];
  const troubles: { path: string; code: string | undefined; at: number }[] = [];
  let looks = 0;
  const lstat: StabilityOptions['lstat'] = async (path) => {
    looks++;
    const entry = files.get(path);
    if (entry === undefined) throw errno('ENOENT');
    if (typeof entry === 'string') throw errno(entry);
    return {
      ...entry,
      isFile: () => entry.kind === 'file',
      isDirectory: () => entry.kind === 'dir',
    };
  };
  const tracker = createStabilityTracker({
    stableMs,
    onStable: (path, stamp) => stable.push({ path, stamp, at: Date.now() }),
    onTrouble: (path, error) => troubles.push({ path, code: error.code, at: Date.now() }),
    lstat,
  });
  t.after(() => tracker.close());
  /** Appends `bytes` now (or makes the entry), as a writer would. */
  const write = (path: string, bytes: number, kind: Kind = 'file') => {
    const before = files.get(path);
    const size = (typeof before === 'object' ? before.size : 0) + bytes;
    files.set(path, { kind, size, mtimeMs: Date.now(), ctimeMs: Date.now() });
  };
  /** Moves the clock on in the tracker's 25 ms steps, letting each step's looks finish. */
  const tick = async (ms: number) => {
    for (let left = ms; left > 0; left -= 25) {
      t.mock.timers.tick(Math.min(25, left));
      await settle();
    }
  };
  return { tracker, files, stable, troubles, write, tick, looks: () => looks };
}

test('a file that keeps growing is reported once, whole, a window after its last write', async (t) => {
  const { tracker, stable, write, tick } = tracked(t, 300);
  write('/in/slow.png', 1);
  tracker.touch('/in/slow.png');
  for (let chunk = 0; chunk < 6; chunk++) {
    await tick(100);
    write('/in/slow.png', 11);
    tracker.touch('/in/slow.png');
  }
  const lastWrite = Date.now();
  await tick(299);
  assert.deepEqual(stable, [], 'not before the window after the last write');
  await tick(1);
  assert.deepEqual(stable, [
    { path: '/in/slow.png', stamp: { size: 67, mtimeMs: lastWrite }, at: lastWrite + 300 },
  ]);
  assert.equal(tracker.pending, 0);
});

test('a file found by a scan is taken at once when still for the window, else after it', async (t) => {
  const { tracker, stable, write, tick } = tracked(t, 200);
  const longAgo = Date.now() - 60_000;
  tracker.found('/in/old.png', { size: 9, mtimeMs: longAgo, ctimeMs: longAgo });
  assert.deepEqual(stable, [
    { path: '/in/old.png', stamp: { size: 9, mtimeMs: longAgo }, at: Date.now() },
  ]);
  assert.equal(tracker.pending, 0, 'no second look for a file that has long been still');

  write('/in/fresh.png', 11);
  const writtenAt = Date.now();
  tracker.found('/in/fresh.png', { size: 11, mtimeMs: writtenAt, ctimeMs: writtenAt });
  assert.equal(tracker.pending, 1);
  await tick(199);
  assert.equal(stable.length, 1);
  await tick(1);
  assert.deepEqual(stable[1], {
    path: '/in/fresh.png',
    stamp: { size: 11, mtimeMs: writtenAt },
    at: writtenAt + 200,
  });
});

test('a file deleted before it settles is forgotten, not reported', async (t) => {
  const { tracker, files, stable, write, tick } = tracked(t, 150);
  write('/in/gone.png', 1);
  tracker.touch('/in/gone.png');
  files.delete('/in/gone.png');
  await tick(50);
  write('/in/kept.png', 1);
  tracker.touch('/in/kept.png');
  await tick(150);
  assert.deepEqual(
    stable.map((s) => s.path),
    ['/in/kept.png'],
  );
  assert.equal(tracker.pending, 0);
});

test('touching a file many times keeps one entry, and it is reported once', async (t) => {
  const { tracker, stable, write, tick, looks } = tracked(t, 100);
  write('/in/a.png', 1);
  for (let i = 0; i < 50; i++) tracker.touch('/in/a.png');
  assert.equal(tracker.pending, 1);
  await tick(100);
  assert.equal(stable.length, 1);
  assert.equal(looks(), 1, 'one look for fifty touches');
  await tick(10_000);
  assert.equal(stable.length, 1, 'a hundred windows later, still once');
});

test('a file whose clock is ahead is stable after two looks a window apart saw the same stamp', async (t) => {
  const { tracker, files, stable, tick } = tracked(t, 100);
  const ahead = Date.now() + 60_000;
  files.set('/in/skewed.png', { kind: 'file', size: 5, mtimeMs: ahead, ctimeMs: ahead });
  const touchedAt = Date.now();
  tracker.touch('/in/skewed.png');
  await tick(100);
  assert.deepEqual(stable, [], 'its own clock cannot say it is still');
  await tick(100);
  assert.deepEqual(stable, [
    { path: '/in/skewed.png', stamp: { size: 5, mtimeMs: ahead }, at: touchedAt + 200 },
  ]);
});

test('a link or a pipe is handed on at its first look (the taker refuses it); a folder is not', async (t) => {
  const { tracker, stable, write, tick } = tracked(t, 100);
  write('/in/link.png', 10, 'link');
  write('/in/folder.png', 0, 'dir');
  tracker.touch('/in/link.png');
  tracker.touch('/in/folder.png');
  await tick(100);
  assert.deepEqual(
    stable.map((s) => s.path),
    ['/in/link.png'],
  );
  assert.equal(tracker.pending, 0);
});

test('a file that cannot be looked at is tried with growing waits, then reported as trouble', async (t) => {
  const { tracker, files, stable, troubles, tick, looks } = tracked(t, 100);
  files.set('/in/locked.png', 'EACCES');
  const touchedAt = Date.now();
  tracker.touch('/in/locked.png');
  // Looks at 100, then 200, 400, 800 and 1600 ms after the one before: 3100 ms in all.
  await tick(3099);
  assert.equal(looks(), 4);
  assert.deepEqual(troubles, []);
  await tick(1);
  assert.deepEqual(troubles, [{ path: '/in/locked.png', code: 'EACCES', at: touchedAt + 3100 }]);
  assert.deepEqual(stable, []);
  assert.equal(tracker.pending, 0);
});
