// Grid HEICs beyond libheif's default limits, built box by box (tests/support/grid-heic.ts). A grid
// of more tiles than the 256 items libvips lets libheif read (as a 200-megapixel Samsung photo has)
// decodes through GenQueue's own header reader and libheif worker; small tiles keep it quick, and
// tests/bench/heic-grid.bench.ts times the full 200 MP grid of 768 tiles. Over a limit — memory,
// tiles or items — a file fails with one sentence naming it. A HEIC that is really damaged is still
// called damaged. None of them offers Retry.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { EngineFailure } from '../../main/contract/errors.ts';
import { MAX_HEIC_ITEMS, MAX_HEIC_TILES } from '../../main/engine/preflight/decoders/heic.ts';
import { createMemoryGate } from '../../main/engine/preflight/pipeline/memory-budget.ts';
import { prepareImage } from '../../main/engine/preflight/prepare.ts';
import { retryHelps } from '../../renderer/src/lib/job-text.ts';
import { writeGridHeic } from '../support/grid-heic.ts';
import { CORPUS, tempDir } from '../support/paths.ts';

const GB = 1e9;

async function refusal(path: string, cacheDir: string, budget = 4 * GB): Promise<EngineFailure> {
  const memory = createMemoryGate(budget);
  const error = await prepareImage(path, { metadata: 'strip', cacheDir, memory }).then(
    () => assert.fail(`${path} was prepared`),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof EngineFailure, String(error));
  assert.equal(retryHelps(error.error), false, `Retry offered for: ${error.message}`);
  return error;
}

test(
  'a grid of 272 tiles, over the items libvips lets libheif read, decodes in the libheif worker',
  { timeout: 240_000 }, // a guard against a hung decoder only: it takes seconds
  async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'many-tiles.heic');
    // 17 × 16 tiles, each the iPhone photo's 320 × 240 thumbnail: 21 megapixels.
    const grid = await writeGridHeic(path, { width: 5440, height: 3840, tile: 'thumbnail' });
    assert.equal(grid.tiles, 272);
    await assert.rejects(sharp(path).metadata(), /security limit/, 'sharp reads it after all');
    const started = Date.now();
    const prepared = await prepareImage(path, { metadata: 'strip', cacheDir: dir });
    t.diagnostic(`${grid.tiles} tiles decoded and prepared in ${Date.now() - started} ms`);
    assert.deepEqual([prepared.format, prepared.width, prepared.height], ['jpeg', 5440, 3840]);
    assert.equal(prepared.report.before.format, 'HEIC');
    // Every tile is in its place: the last one, past the 256th, shows what the first shows.
    const tile = (column: number, row: number) =>
      sharp(prepared.path)
        .extract({ left: column * 320, top: row * 240, width: 320, height: 240 })
        .raw()
        .toBuffer();
    const [first, last] = [await tile(0, 0), await tile(16, 15)];
    const difference = first.reduce((sum, value, i) => sum + Math.abs(value - last[i]!), 0);
    assert.ok(
      difference / first.length < 2,
      `the last tile differs by ${difference / first.length}`,
    );
    const { channels } = await sharp(first, {
      raw: { width: 320, height: 240, channels: 3 },
    }).stats();
    assert.ok(channels[0]!.stdev > 10, 'the tile is a picture, not a flat colour');
  },
);

test('a 200 MP grid of 768 tiles, over the memory budget, is refused naming the memory it needs', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'samsung-200mp.heic');
  await writeGridHeic(path, { width: 16320, height: 12240 });
  const error = await refusal(path, dir, 1 * GB);
  assert.equal(error.error.code, 'too_many_pixels');
  assert.equal(
    error.message,
    'samsung-200mp.heic is 16320 × 12240 (200 megapixels); preparing it would take about 2.0 GB of memory, more than the 1.0 GB GenQueue allows on this computer.',
  );
});

test('a grid of more tiles than the decoder takes is refused saying how many', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'tiny-tiles.heic');
  const grid = await writeGridHeic(path, { width: 16320, height: 12240, tileSide: 128 });
  assert.equal(grid.tiles, 12288);
  const started = Date.now();
  const error = await refusal(path, dir);
  t.diagnostic(`refused in ${Date.now() - started} ms`);
  assert.equal(error.error.code, 'too_many_pixels');
  assert.equal(
    error.message,
    `tiny-tiles.heic is a grid of 12288 tiles (200 megapixels, 16320 × 12240); GenQueue's HEIC decoder takes at most ${MAX_HEIC_TILES} tiles.`,
  );
});

test("over libheif's own 1000 items, a file decodes; over GenQueue's item limit, it is refused", async (t) => {
  const dir = await tempDir(t);
  const many = join(dir, 'many-items.heic');
  await writeGridHeic(many, { width: 1024, height: 1024, extraItems: 1100 });
  const prepared = await prepareImage(many, { metadata: 'strip', cacheDir: dir });
  assert.deepEqual([prepared.format, prepared.width, prepared.height], ['jpeg', 1024, 1024]);

  const tooMany = join(dir, 'too-many-items.heic');
  await writeGridHeic(tooMany, { width: 1024, height: 1024, extraItems: MAX_HEIC_ITEMS });
  const error = await refusal(tooMany, dir);
  assert.equal(error.error.code, 'too_many_pixels');
  assert.equal(
    error.message,
    `too-many-items.heic holds ${MAX_HEIC_ITEMS + 5} items (images, thumbnails, metadata); GenQueue's HEIC decoder takes at most ${MAX_HEIC_ITEMS} items.`,
  );
});

test('a damaged HEIC is still called damaged, grid or not', async (t) => {
  const dir = await tempDir(t);
  // A grid over libvips' limits whose tile data is cut short: the header is fine, the pixels not.
  const grid = join(dir, 'cut-grid.heic');
  await writeGridHeic(grid, { width: 1024, height: 1024, extraItems: 300 });
  const whole = await readFile(grid);
  await writeFile(grid, whole.subarray(0, whole.length - 20_000));
  // An ordinary HEIF cut in its header.
  const plain = join(dir, 'cut.heic');
  await writeFile(
    plain,
    (await readFile(join(CORPUS, 'heic/samplefilehub.heif'))).subarray(0, 12_000),
  );
  // A HEIC whose header claims 20000 × 10000 over a 640 × 426 image: decoded, found out.
  const heif = await readFile(join(CORPUS, 'heic/samplefilehub.heif'));
  for (let at = heif.indexOf('ispe'); at >= 0; at = heif.indexOf('ispe', at + 4)) {
    heif.writeUInt32BE(20_000, at + 8);
    heif.writeUInt32BE(10_000, at + 12);
  }
  const liar = join(dir, 'claims-200mp.heic');
  await writeFile(liar, heif);
  for (const path of [grid, plain, liar]) {
    const error = await refusal(path, dir);
    assert.equal(error.error.code, 'corrupt', error.message);
    assert.match(error.message, /^[\w-]+\.heic is damaged: its HEIC (image )?data /);
    t.diagnostic(error.message);
  }
});
