import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStabilityTracker } from '../../../../main/engine/watch/stability.ts';
import type { FileStamp } from '../../../../main/engine/watch/watch-store.ts';
import { tempDir } from '../../../support/paths.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tracked(t: TestContext, stableMs: number) {
  const stable: { path: string; stamp: FileStamp; at: number }[] = [];
  let resolveNext: (() => void) | undefined;
  const tracker = createStabilityTracker({
    stableMs,
    onStable: (path, stamp) => {
      stable.push({ path, stamp, at: Date.now() });
      resolveNext?.();
    },
    onTrouble: (path, error) => assert.fail(`unexpected trouble on ${path}: ${error.message}`),
  });
  t.after(() => tracker.close());
  const next = () => new Promise<void>((resolve) => (resolveNext = resolve));
  return { tracker, stable, next };
}

test('a file that keeps growing is reported once, whole, a window after its last write', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'slow.png');
  const { tracker, stable, next } = tracked(t, 300);
  const reported = next();
  await writeFile(path, 'x');
  tracker.touch(path);
  let lastWrite = 0;
  for (let chunk = 0; chunk < 6; chunk++) {
    await sleep(100);
    await appendFile(path, 'more bytes ');
    lastWrite = Date.now();
    tracker.touch(path);
  }
  await reported;
  assert.equal(stable.length, 1);
  assert.equal(stable[0]!.stamp.size, 1 + 6 * 'more bytes '.length);
  // File system clocks are coarse (a few ms behind Date.now()): allow for that, nothing more.
  assert.ok(stable[0]!.at >= lastWrite + 250, 'reported before the window after the last write');
  assert.equal(tracker.pending, 0);
});

test('a file found by a scan is taken at once when still for the window, else after it', async (t) => {
  const dir = await tempDir(t);
  const { tracker, stable, next } = tracked(t, 200);
  const old = join(dir, 'old.png');
  const fresh = join(dir, 'fresh.png');
  const longAgo = Date.now() - 60_000;
  tracker.found(old, { size: 9, mtimeMs: longAgo, ctimeMs: longAgo });
  assert.deepEqual(stable, [
    { path: old, stamp: { size: 9, mtimeMs: longAgo }, at: stable[0]?.at },
  ]);
  assert.equal(tracker.pending, 0, 'no second look for a file that has long been still');

  await writeFile(fresh, 'fresh bytes');
  const info = await stat(fresh);
  const reported = next();
  tracker.found(fresh, { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs });
  assert.equal(tracker.pending, 1);
  await reported;
  assert.deepEqual(
    stable.map((s) => s.path),
    [old, fresh],
  );
  assert.equal(stable[1]!.stamp.size, info.size);
});

test('a file deleted before it settles is forgotten, not reported', async (t) => {
  const dir = await tempDir(t);
  const gone = join(dir, 'gone.png');
  const kept = join(dir, 'kept.png');
  const { tracker, stable, next } = tracked(t, 150);
  await writeFile(gone, 'a');
  tracker.touch(gone);
  await rm(gone);
  await sleep(50);
  await writeFile(kept, 'b');
  const reported = next();
  tracker.touch(kept);
  await reported;
  assert.deepEqual(
    stable.map((s) => s.path),
    [kept],
  );
  assert.equal(tracker.pending, 0);
});

test('touching a file many times keeps one entry', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'a.png');
  await writeFile(path, 'a');
  const { tracker, stable, next } = tracked(t, 100);
  const reported = next();
  for (let i = 0; i < 50; i++) tracker.touch(path);
  assert.equal(tracker.pending, 1);
  await reported;
  await sleep(150);
  assert.equal(stable.length, 1);
});
