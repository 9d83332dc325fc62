// Placing results after a crash at each step leaves exactly one file per result, under the name it
// reserved, and never fetches again what is already on disk. The crash states are laid down as a
// killed process leaves them (rows in a real SQLite file, real files), then placement runs again.
import assert from 'node:assert/strict';
import { link, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import sharp from 'sharp';
import { checkResultImage } from '../../../../main/engine/apimart/download.ts';
import { writeNew } from '../../../../main/engine/results/exclusive-files.ts';
import { checkOutputFolder, placeResults } from '../../../../main/engine/results/place-results.ts';
import { sidecarText, type Sidecar } from '../../../../main/engine/results/sidecar.ts';
import { openDatabase } from '../../../../main/engine/store/database.ts';
import { createResultFiles, type ResultKey } from '../../../../main/engine/store/result-files.ts';
import { tempDir } from '../../../support/paths.ts';

const KEY: ResultKey = { jobId: 'j1', taskId: 'task_1', index: 1 };

function sidecarOf(key: ResultKey): Sidecar {
  return {
    generator: 'GenQueue',
    version: 'test',
    job: key.jobId,
    source: '/in/a.jpg',
    sourceSha256: null,
    taskId: key.taskId,
    index: key.index,
    model: 'm',
    prompt: 'p',
    recipe: { model: 'm', prompt: 'p' },
    simulated: true,
    preflight: null,
    timings: {},
    createdAt: new Date(0).toISOString(),
  };
}

async function setup(t: TestContext) {
  const home = await tempDir(t);
  const dir = await tempDir(t);
  const db = openDatabase(join(home, 'genqueue.db'));
  t.after(() => db.close());
  const files = createResultFiles(db);
  const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: 'red' } })
    .png()
    .toBuffer();
  const fetched: string[] = [];
  const place = (key: ResultKey = KEY) =>
    placeResults(key.jobId, key.taskId, [{ url: 'https://results.invalid/1' }], {
      files,
      dir,
      async download(url, part) {
        fetched.push(url);
        await writeNew(part, png);
        return checkResultImage(part);
      },
      nameFor: (index, ext) => `a-${index}.${ext}`,
      sidecarFor: (index) => sidecarOf({ ...key, index }),
      signal: new AbortController().signal,
    });
  return { dir, files, png, fetched, place };
}

test('a crash mid-download: the partial file is removed and the result fetched again', async (t) => {
  const { dir, files, fetched, place } = await setup(t);
  const part = join(dir, '.genqueue-task_1-1-000000000000.part');
  files.downloading(KEY, part);
  await writeFile(part, 'half a PNG');
  const [result] = await place();
  assert.equal(result?.path, join(dir, 'a-1.png'));
  assert.equal(fetched.length, 1);
  assert.deepEqual((await readdir(dir)).sort(), ['a-1.png', 'a-1.png.json']);
});

test('a crash after the sidecar took its name, before the image: the same name, nothing fetched', async (t) => {
  const { dir, files, png, fetched, place } = await setup(t);
  const part = join(dir, '.genqueue-task_1-1-000000000000.part');
  const target = join(dir, 'a-1.png');
  files.downloading(KEY, part);
  await writeFile(part, png);
  await writeFile(`${part}.json`, sidecarText(sidecarOf(KEY)));
  assert.ok(files.reserve(KEY, target, () => true));
  await link(`${part}.json`, `${target}.json`);
  const [result] = await place();
  assert.equal(result?.path, target);
  assert.deepEqual(fetched, []);
  assert.deepEqual((await readdir(dir)).sort(), ['a-1.png', 'a-1.png.json']);
  assert.ok((await readFile(target)).equals(png));
});

test('a crash after the image got its name, before it was marked placed: kept as it is', async (t) => {
  const { dir, files, png, fetched, place } = await setup(t);
  const part = join(dir, '.genqueue-task_1-1-000000000000.part');
  const target = join(dir, 'a-1.png');
  files.downloading(KEY, part);
  await writeFile(part, png);
  assert.ok(files.reserve(KEY, target, () => true));
  await writeFile(`${target}.json`, sidecarText(sidecarOf(KEY)));
  await link(part, target);
  const [result] = await place();
  assert.equal(result?.path, target);
  assert.deepEqual(fetched, []);
  assert.deepEqual((await readdir(dir)).sort(), ['a-1.png', 'a-1.png.json']);
  assert.equal(files.get(KEY)?.placed, true);
});

test('a result placed before is found again, not fetched again; gone or replaced, it is fetched anew', async (t) => {
  const { dir, fetched, place } = await setup(t);
  await place();
  await place();
  assert.equal(fetched.length, 1);
  await rm(join(dir, 'a-1.png'));
  const [again] = await place();
  assert.equal(again?.path, join(dir, 'a-1.png'));
  assert.equal(fetched.length, 2);
  await writeFile(join(dir, 'a-1.png'), 'the person put a note here');
  const [beside] = await place();
  assert.equal(beside?.path, join(dir, 'a-1 (2).png'));
  assert.equal(await readFile(join(dir, 'a-1.png'), 'utf8'), 'the person put a note here');
});

test('a name another job reserved (not yet on disk) is not handed out; a placed one whose files are gone is', async (t) => {
  const { dir, files, place } = await setup(t);
  const other: ResultKey = { jobId: 'j2', taskId: 'task_2', index: 1 };
  assert.ok(files.reserve(other, join(dir, 'a-1.png'), () => true));
  const [first] = await place();
  assert.equal(first?.path, join(dir, 'a-1 (2).png'));

  const third: ResultKey = { jobId: 'j3', taskId: 'task_3', index: 1 };
  files.placed(other); // placed: its files on disk hold the name from now on
  assert.equal(
    files.reserve(third, join(dir, 'a-1.png'), () => false),
    false,
  );
  assert.equal(
    files.reserve(third, join(dir, 'a-1.png'), () => true),
    true,
    'deleted: free',
  );
});

test('the output folder check makes the folder, leaves nothing behind, and refuses a linked own folder', async (t) => {
  const root = await tempDir(t);
  const dir = join(root, 'genqueue-output');
  await checkOutputFolder(dir, { own: true, longestName: `${'写'.repeat(79)}.webp` });
  assert.deepEqual(await readdir(dir), []);
  const elsewhere = await tempDir(t);
  const linked = join(elsewhere, 'genqueue-output');
  await symlink(root, linked);
  await assert.rejects(checkOutputFolder(linked, { own: true }), /link to somewhere else/);
  await checkOutputFolder(linked, { own: false }); // a folder the person chose may be a link
});
