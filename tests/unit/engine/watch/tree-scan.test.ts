import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WatchFolderSettingsSchema } from '../../../../main/contract/watch.ts';
import { createPathRules } from '../../../../main/engine/watch/path-rules.ts';
import { createTreeScan, type ScanPass } from '../../../../main/engine/watch/tree-scan.ts';
import { tempDir } from '../../../support/paths.ts';
import { fakeWatchStore } from './fake-watch-store.ts';

/** A real folder tree scanned into a fake store; what is handed on and skipped is recorded. */
async function scanOf(t: TestContext, options: { recursive?: boolean; startedAt?: number } = {}) {
  const root = await tempDir(t);
  const settings = WatchFolderSettingsSchema.parse({ path: root, recursive: options.recursive });
  const rules = createPathRules(settings, [join(root, 'results')]);
  const fake = fakeWatchStore();
  const found: string[] = [];
  const touched: string[] = [];
  const passes: ScanPass[] = [];
  let nextPass: ((pass: ScanPass) => void) | undefined;
  const abort = new AbortController();
  const scan = createTreeScan({
    folderId: 'w1',
    recursive: settings.recursive,
    store: fake.store,
    rules: () => rules,
    startedAt: options.startedAt ?? Date.now() + 60_000,
    signal: abort.signal,
    found: (path) => found.push(path),
    touched: (path) => touched.push(path),
    skip: (path, stamp, reason) => fake.store.markSkipped('w1', path, stamp, reason),
    passed: (pass) => {
      passes.push(pass);
      nextPass?.(pass);
    },
  });
  t.after(() => {
    abort.abort();
    scan.close();
  });
  const put = async (rel: string) => {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), rel);
    return join(root, rel);
  };
  const pass = () => new Promise<ScanPass>((resolve) => (nextPass = resolve));
  return { root, scan, fake, found, touched, passes, put, pass };
}

test('a full scan hands on every candidate not seen with its stamp, and counts them', async (t) => {
  const { root, scan, fake, found, passes, put } = await scanOf(t);
  const wanted = [await put('a.png'), await put('sub/b.jpg'), await put('sub/deeper/c.webp')];
  await put('notes.txt');
  await put('.hidden.png');
  await put('.cache/d.png');
  await put('results/e.png');
  await put('genqueue-output/f.png');
  await scan.scan(root, true);
  assert.deepEqual(found.sort(), wanted.sort());
  assert.equal(passes.length, 1, 'one pass for the whole tree');
  assert.equal(passes[0]!.handedOn, 3);
  assert.equal(passes[0]!.dir, root);

  const info = await stat(wanted[0]!);
  fake.store.markSeen('w1', [
    { path: wanted[0]!, stamp: { size: info.size, mtimeMs: info.mtimeMs } },
  ]);
  found.length = 0;
  await scan.scan(root, true);
  assert.deepEqual(found.sort(), wanted.slice(1).sort(), 'a seen file is not handed on again');
  await utimes(wanted[0]!, new Date(), new Date(Date.now() + 5000));
  found.length = 0;
  await scan.scan(root, false);
  assert.deepEqual(found, [wanted[0]], 'a changed stamp is new; a shallow scan stays at the top');
});

test('a folder that is not recursive is scanned at its top only', async (t) => {
  const { root, scan, found, put } = await scanOf(t, { recursive: false });
  const top = await put('top.png');
  await put('sub/below.png');
  await scan.scan(root, true);
  assert.deepEqual(found, [top]);
});

test('priming notes what was there before the watch began, and hands on what is newer', async (t) => {
  // The watch "began" a minute from now: a file written now was there before it.
  const { root, scan, fake, found, passes, put } = await scanOf(t, {
    startedAt: Date.now() + 60_000,
  });
  const old = await put('old.png');
  const newer = await put('new.png');
  await utimes(newer, new Date(), new Date(Date.now() + 120_000));
  await scan.scan(root, true, true);
  assert.deepEqual(found, [newer]);
  assert.deepEqual([...fake.seenStamps.keys()], [old], 'noted as seen, so never taken');
  assert.equal(passes[0]!.handedOn, 1);
});

test('a link to a folder is listed as skipped once, never walked into', async (t) => {
  const { root, scan, fake, found } = await scanOf(t);
  const elsewhere = await tempDir(t);
  await writeFile(join(elsewhere, 'private.png'), 'x');
  await symlink(elsewhere, join(root, 'linked'));
  await scan.scan(root, true);
  await scan.scan(root, true);
  assert.deepEqual(found, []);
  assert.deepEqual(fake.skipped, [
    {
      path: join(root, 'linked'),
      reason: 'It is a link to a folder: GenQueue does not walk into linked folders.',
    },
  ]);
});

test('notifications: a file restarts its window and its folder is read again once quiet', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { root, scan, found, touched, put, pass } = await scanOf(t);
  const file = await put('sub/a.png');
  const missed = await put('sub/missed.png');
  scan.changed([
    { path: file, type: 'create' },
    { path: join(root, 'sub', 'gone.png'), type: 'delete' },
    { path: join(root, 'notes.txt'), type: 'create' },
  ]);
  assert.deepEqual(touched, [file]);
  const rescanned = pass();
  t.mock.timers.tick(299);
  assert.deepEqual(found, [], 'not before the folder has been quiet for 300 ms');
  t.mock.timers.tick(1);
  const done = await rescanned;
  assert.deepEqual(done, {
    dir: join(root, 'sub'),
    deep: false,
    startedAt: done.startedAt,
    handedOn: 2,
  });
  assert.deepEqual(found.sort(), [file, missed].sort(), 'the rescan finds what had no event');
});

test('a folder moved in is walked at once, with its sub-folders', async (t) => {
  const { root, scan, found, put, pass } = await scanOf(t);
  const files = [await put('moved/a.png'), await put('moved/deep/b.png')];
  const walked = pass();
  scan.changed([{ path: join(root, 'moved'), type: 'create' }]);
  assert.deepEqual(await walked, {
    dir: join(root, 'moved'),
    deep: true,
    startedAt: (await walked).startedAt,
    handedOn: 2,
  });
  assert.deepEqual(found.sort(), files.sort());
});
