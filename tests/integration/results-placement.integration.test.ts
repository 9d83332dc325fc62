// Every paid result lands on disk under a name of its own, with nothing else touched: same-named
// sources from camera folders and from one call, result links whose extension is missing or lies,
// two engines writing into one folder, names no disk or OS would take, links planted under the
// names GenQueue will use, and servers that send far more, or far larger, than was asked for.
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import sharp from 'sharp';
import type { JobView } from '../../main/contract/schemas.ts';
import { startTestEngine, tempDir, type TestEngine } from '../support/engine-harness.ts';
import { until } from '../support/until.ts';

const MODEL = 'gemini-3-pro-image-preview';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A small JPEG whose pixels depend on `seed`, so every source has content of its own. */
async function photo(path: string, seed: number): Promise<string> {
  await sharp({
    create: { width: 32, height: 24, channels: 3, background: { r: seed * 37, g: 90, b: 200 } },
  })
    .jpeg()
    .toFile(path);
  return path;
}

/** The camera's layout: `DCIM/100CANON/IMG_0001.JPG`, `DCIM/101CANON/IMG_0001.JPG`, … */
async function cameraCard(t: TestContext, folders: number): Promise<string[]> {
  const card = await tempDir(t);
  const sources: string[] = [];
  for (let i = 0; i < folders; i++) {
    const dir = join(card, 'DCIM', `${100 + i}CANON`);
    await mkdir(dir, { recursive: true });
    sources.push(await photo(join(dir, 'IMG_0001.JPG'), i));
  }
  return sources;
}

async function runToEnd(
  gq: TestEngine,
  paths: string[],
  outDir: string,
  recipe: { n?: number } = {},
): Promise<JobView[]> {
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths,
    recipe: { model: MODEL, prompt: 'x', outDir, ...recipe },
  });
  const jobs = async () => gq.call('jobs.get', { ids: jobIds });
  await until(
    async () => (await jobs()).every((job) => ['done', 'failed'].includes(job.stage)),
    'every job to finish',
    60_000,
    async () => JSON.stringify((await jobs()).map((job) => [job.stage, job.error?.message])),
  );
  return jobs();
}

/** Each result file exists once, and its sidecar names its own job's source, task and index. */
async function assertOwnFiles(jobs: JobView[], expected: number): Promise<string[]> {
  const paths = jobs.flatMap((job) => job.results.map((result) => result.path));
  assert.equal(paths.length, expected);
  assert.equal(new Set(paths).size, expected, `one file per result: ${paths.join(', ')}`);
  for (const job of jobs) {
    assert.equal(job.stage, 'done', job.error?.message);
    for (const [i, result] of job.results.entries()) {
      const sidecar = JSON.parse(await readFile(result.sidecar, 'utf8')) as Record<string, unknown>;
      assert.deepEqual(
        [sidecar.source, sidecar.taskId, sidecar.index, sidecar.job],
        [job.source, job.taskId, i + 1, job.id],
      );
      const meta = await sharp(result.path).metadata();
      assert.deepEqual([meta.format, meta.width], [result.format, result.width]);
    }
  }
  return paths;
}

/** Nothing GenQueue writes on its way to a result is left in the folder. */
async function assertNoLeftovers(dir: string): Promise<void> {
  const left = (await readdir(dir)).filter((name) => name.startsWith('.genqueue-'));
  assert.deepEqual(left, []);
}

test('six IMG_0001.JPG from six camera folders, two results each: twelve files, nothing overwritten', async (t) => {
  const gq = await startTestEngine(t);
  const out = await tempDir(t);
  const sources = await cameraCard(t, 6);
  // Files of the person's own under names GenQueue would like to use.
  const mine = join(out, `IMG_0001-${MODEL}-1.png`);
  await writeFile(mine, 'my own file');
  await writeFile(join(out, `IMG_0001-${MODEL}-2 (2).png.json`), '{"mine": true}');

  const jobs = await runToEnd(gq, sources, out, { n: 2 });
  const paths = await assertOwnFiles(jobs, 12);
  assert.ok(!paths.includes(mine));
  assert.equal(await readFile(mine, 'utf8'), 'my own file');
  assert.equal(
    await readFile(join(out, `IMG_0001-${MODEL}-2 (2).png.json`), 'utf8'),
    '{"mine": true}',
  );
  const images = (await readdir(out)).filter((name) => name.endsWith('.png'));
  assert.equal(images.length, 13, 'twelve results beside the person’s own file');
  await assertNoLeftovers(out);
});

test('result links with no extension, or one that lies, are named by their real format', async (t) => {
  const gq = await startTestEngine(t);
  const out = await tempDir(t);
  const dir = await tempDir(t);
  // The name a lying ".jpg" link would have suggested, and the one its real format gets.
  await writeFile(join(out, `lies-${MODEL}-1.jpg`), 'a jpg of mine');
  await writeFile(join(out, `lies-${MODEL}-1.png`), 'a png of mine');

  gq.simulator.setFaults({ resultTrick: 'wrong-extension' });
  const [lying] = await runToEnd(gq, [await photo(join(dir, 'lies.jpg'), 1)], out);
  gq.simulator.setFaults({ resultTrick: 'no-extension' });
  const [bare] = await runToEnd(gq, [await photo(join(dir, 'bare.jpg'), 2)], out);

  await assertOwnFiles([lying!, bare!], 2);
  assert.equal(basename(lying!.results[0]!.path), `lies-${MODEL}-1 (2).png`);
  assert.equal(basename(bare!.results[0]!.path), `bare-${MODEL}-1.png`);
  assert.equal(await readFile(join(out, `lies-${MODEL}-1.jpg`), 'utf8'), 'a jpg of mine');
  assert.equal(await readFile(join(out, `lies-${MODEL}-1.png`), 'utf8'), 'a png of mine');
  await assertNoLeftovers(out);
});

test('two engines with their own data folders write same-named results into one folder at once', async (t) => {
  const out = await tempDir(t);
  const [first, second] = await Promise.all([startTestEngine(t), startTestEngine(t)]);
  const [a, b] = await Promise.all([cameraCard(t, 4), cameraCard(t, 4)]);
  const jobs = await Promise.all([runToEnd(first!, a, out), runToEnd(second!, b, out)]);
  await assertOwnFiles(jobs.flat(), 8);
  await assertNoLeftovers(out);
});

test('names no disk or OS would take: 80 CJK characters, 62 emoji, CON, a right-to-left override', async (t) => {
  const gq = await startTestEngine(t);
  const out = await tempDir(t);
  const dir = await tempDir(t);
  const names = [
    `${'写真'.repeat(40)}.jpg`,
    `${'😀'.repeat(62)}.jpg`,
    'CON.jpg',
    'cat\u202Egnp.jpg',
  ];
  const sources = await Promise.all(names.map((name, i) => photo(join(dir, name), i)));
  const jobs = await runToEnd(gq, sources, out);
  const paths = await assertOwnFiles(jobs, 4);
  for (const path of paths) {
    const name = basename(path);
    assert.ok(Buffer.byteLength(`${name}.json`) <= 255, name);
    assert.ok(!LONE_SURROGATE.test(name) && !/[\u202a-\u202e\u2066-\u2069]/.test(name), name);
    assert.ok(!/^(con|nul|prn|aux)(\.|$)/i.test(name), name);
  }
  await assertNoLeftovers(out);
});

test('links planted under the names GenQueue will use are never written through or replaced', async (t) => {
  const gq = await startTestEngine(t);
  const out = await tempDir(t);
  const elsewhere = await tempDir(t);
  const dir = await tempDir(t);
  const secret = join(elsewhere, 'secret.png');
  const secretJson = join(elsewhere, 'secret.json');
  const nowhere = join(elsewhere, 'created-through-a-link');
  await writeFile(secret, 'private');
  await writeFile(secretJson, 'private too');
  const planted = {
    [`pic-${MODEL}-1.png`]: secret,
    [`pic-${MODEL}-1 (2).png.json`]: secretJson,
    [`pic-${MODEL}-1 (3).png`]: nowhere,
  };
  for (const [name, target] of Object.entries(planted)) await symlink(target, join(out, name));

  const [job] = await runToEnd(gq, [await photo(join(dir, 'pic.jpg'), 3)], out);
  await assertOwnFiles([job!], 1);
  assert.equal(basename(job!.results[0]!.path), `pic-${MODEL}-1 (4).png`);
  assert.equal(await readFile(secret, 'utf8'), 'private');
  assert.equal(await readFile(secretJson, 'utf8'), 'private too');
  await assert.rejects(lstat(nowhere), { code: 'ENOENT' });
  for (const [name, target] of Object.entries(planted)) {
    assert.equal(await readlink(join(out, name)), target, `${name} is still the same link`);
  }
  await assertNoLeftovers(out);
});

test('a genqueue-output folder that is a link elsewhere is refused before anything is paid for', async (t) => {
  const gq = await startTestEngine(t, { settings: { outputDir: undefined } });
  const dir = await tempDir(t);
  const elsewhere = await tempDir(t);
  await symlink(elsewhere, join(dir, 'genqueue-output'));
  await gq.call('jobs.enqueue', {
    paths: [await photo(join(dir, 'pic.jpg'), 4)],
    recipe: { model: MODEL, prompt: 'x' },
  });
  await until(async () => (await gq.call('queue.stats', {})).paused === 'disk', 'the disk pause');
  assert.match((await gq.call('queue.stats', {})).pauseMessage ?? '', /link to somewhere else/);
  assert.equal(gq.simulator.stats().tasks.length, 0);
  assert.deepEqual(await readdir(elsewhere), []);
});

test('a task listing 3,000 images for n = 1 brings one result, and the sidecar says what was left', async (t) => {
  const gq = await startTestEngine(t);
  const out = await tempDir(t);
  const dir = await tempDir(t);
  gq.simulator.setFaults({ resultTrick: 'flood' });
  const jobs = await runToEnd(gq, [await photo(join(dir, 'flood.jpg'), 5)], out);
  await assertOwnFiles(jobs, 1);
  const fetched = gq.simulator.stats().requests.filter((r) => r.path.startsWith('/files/results/'));
  assert.equal(fetched.length, 1);
  const sidecar = JSON.parse(await readFile(jobs[0]!.results[0]!.sidecar, 'utf8')) as {
    ignored?: string[];
  };
  assert.match(sidecar.ignored?.[0] ?? '', /listed 3000 images .* asking for 1/);
});

test('a result claiming 16,383 × 16,383 pixels is refused from its header, in little memory', async (t) => {
  const gq = await startTestEngine(t);
  const out = await tempDir(t);
  const dir = await tempDir(t);
  gq.simulator.setFaults({ resultTrick: 'pixel-bomb' });
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const [job] = await runToEnd(gq, [await photo(join(dir, 'bomb.jpg'), 6)], out);
  clearInterval(sampler);
  assert.equal(job?.stage, 'failed');
  assert.match(job.error?.message ?? '', /16383 × 16383 pixels, more than the 64 megapixels/);
  // Decoding it whole would take ~270 MB (and seconds); refusing it from its header, next to nothing.
  assert.ok(peak - before < 150 * 1024 * 1024, `RSS grew by ${(peak - before) / 2 ** 20} MB`);
  await assertNoLeftovers(out);
});
