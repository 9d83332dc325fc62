// The HEIC header reader: the size (ispe) and tile count of real phone files and of generated
// grids, from memory and from disk; nothing from a file that is cut or not HEIC at all; and the
// field of libheif's limits that the decoder's worker raises.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { EngineFailure } from '../../../../main/contract/errors.ts';
import {
  checkHeicLayout,
  readHeicLayout,
} from '../../../../main/engine/preflight/decoders/heic-header.ts';
import { MAX_HEIC_ITEMS, MAX_HEIC_TILES } from '../../../../main/engine/preflight/decoders/heic.ts';
import { writeGridHeic } from '../../../support/grid-heic.ts';
import { CORPUS, tempDir } from './helpers.ts';

const IPHONE = join(CORPUS, 'heic/mobile/iphone_13_pro_max.HEIC');
const SMALL = join(CORPUS, 'heic/samplefilehub.heif');

test('an iPhone photo is a grid of 48 tiles of 4032 × 3024; a small HEIF is no grid', async () => {
  const iphone = await readFile(IPHONE);
  const expected = { width: 4032, height: 3024, items: 53, tiles: 48 };
  assert.deepEqual(await readHeicLayout(iphone, IPHONE), expected);
  assert.deepEqual(await readHeicLayout(undefined, IPHONE), expected, 'read from disk');
  assert.deepEqual(await readHeicLayout(undefined, SMALL), {
    width: 640,
    height: 426,
    items: 3,
    tiles: 0,
  });
});

test('a generated 200 MP grid reads back as written', async (t) => {
  const path = join(await tempDir(t), 'grid.heic');
  const grid = await writeGridHeic(path, { width: 16320, height: 12240, extraItems: 3 });
  assert.equal(grid.tiles, 768);
  assert.ok(grid.bytes < 200_000, `${grid.bytes} bytes on disk`);
  const layout = { width: 16320, height: 12240, items: 772, tiles: 768 };
  assert.deepEqual(await readHeicLayout(undefined, path), layout);
  assert.deepEqual(await readHeicLayout(await readFile(path), path), layout);
});

test('a cut header, a missing meta box and a missing file state no layout', async (t) => {
  const dir = await tempDir(t);
  const iphone = await readFile(IPHONE);
  for (const cut of [40, 200, 1500, 3000]) {
    assert.equal(await readHeicLayout(iphone.subarray(0, cut), IPHONE), undefined, `cut at ${cut}`);
  }
  const noMeta = join(dir, 'no-meta.heic');
  await writeFile(noMeta, iphone.subarray(0, 40)); // ftyp alone
  assert.equal(await readHeicLayout(undefined, noMeta), undefined);
  assert.equal(await readHeicLayout(Buffer.from('not an image at all'), noMeta), undefined);
  assert.equal(await readHeicLayout(undefined, join(dir, 'gone.heic')), undefined);
});

test('a layout over the tile or item limit is refused, saying which', () => {
  const refusal = (layout: Parameters<typeof checkHeicLayout>[0]) => {
    try {
      checkHeicLayout(layout, 'big.heic');
    } catch (error) {
      assert.ok(error instanceof EngineFailure);
      assert.equal(error.error.code, 'too_many_pixels');
      return error.message;
    }
    return undefined;
  };
  const base = { width: 16320, height: 12240, items: 800, tiles: 768 };
  assert.equal(refusal(base), undefined);
  assert.equal(refusal({ ...base, tiles: MAX_HEIC_TILES, items: MAX_HEIC_ITEMS }), undefined);
  assert.equal(
    refusal({ ...base, tiles: 12288, items: 12289 }),
    `big.heic is a grid of 12288 tiles (200 megapixels, 16320 × 12240); GenQueue's HEIC decoder takes at most ${MAX_HEIC_TILES} tiles.`,
  );
  assert.equal(
    refusal({ ...base, tiles: 4, items: 9000 }),
    `big.heic holds 9000 items (images, thumbnails, metadata); GenQueue's HEIC decoder takes at most ${MAX_HEIC_ITEMS} items.`,
  );
});

test("the decoder's worker raises max_items: libheif-js keeps it at byte 28 of its limits", () => {
  // decoders/heic.ts writes the uint32 at byte 28 of heif_security_limits; if a libheif-js update
  // moved it, this default (libheif's 1000 items) would no longer be found there.
  const require = createRequire(import.meta.url);
  const libheif = require(
    createRequire(require.resolve('heic-decode')).resolve('libheif-js/wasm-bundle'),
  ) as { _heif_get_global_security_limits(): number; HEAPU8: Uint8Array; HEAPU32: Uint32Array };
  const limits = libheif._heif_get_global_security_limits();
  assert.ok(limits > 0);
  assert.ok(libheif.HEAPU8[limits]! >= 1, 'a versioned struct');
  assert.equal(libheif.HEAPU32[(limits + 28) >> 2], 1000);
});
