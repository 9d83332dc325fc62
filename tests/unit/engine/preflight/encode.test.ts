import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  encodeToFit,
  pngWorstBytes,
  type Output,
  type PixelSource,
} from '../../../../main/engine/preflight/pipeline/encode.ts';
import { tempDir } from './helpers.ts';

function inMemory(bytes: Output): Buffer {
  assert.ok(Buffer.isBuffer(bytes), 'encoded into memory');
  return bytes;
}

async function source(
  width: number,
  height: number,
  sigma: number,
  blur: number,
): Promise<PixelSource> {
  const png = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma },
    },
  })
    .blur(blur || false)
    .png({ compressionLevel: 1 })
    .toBuffer();
  const stored = { width, height, open: () => sharp(png) };
  return { width, height, channels: 3, open: stored.open, stored };
}

/** The same source, counting how often a band is read off its top (the prediction's first step). */
function countingBands(input: PixelSource): { source: PixelSource; bands: () => number } {
  const { stored } = input;
  assert.ok(stored);
  let bands = 0;
  const open = () => {
    bands += 1;
    return stored.open();
  };
  return { source: { ...input, stored: { ...stored, open } }, bands: () => bands };
}

describe('encodeToFit', () => {
  test('a small image goes through in one pass at the starting quality', async () => {
    const result = await encodeToFit({
      source: await source(600, 400, 30, 1),
      format: 'jpeg',
      width: 600,
      height: 400,
      quality: 90,
      sizeCeiling: undefined,
      maxBytes: 20_971_520,
    });
    assert.equal(result.quality, 90);
    assert.deepEqual(result.changes, []);
    assert.equal((await sharp(inMemory(result.bytes)).metadata()).format, 'jpeg');
  });

  test('given a file, the encode is written there as it is made', async (t) => {
    const file = join(await tempDir(t), 'out.tmp');
    const result = await encodeToFit({
      source: await source(600, 400, 30, 1),
      format: 'jpeg',
      width: 600,
      height: 400,
      quality: 90,
      sizeCeiling: undefined,
      maxBytes: 20_971_520,
      file,
    });
    const written = await readFile(file);
    assert.deepEqual(result.bytes, { path: file, length: written.length });
    assert.equal((await sharp(written).metadata()).format, 'jpeg');
  });

  test('a larger one gets a predicted quality below the start and fits', async () => {
    const maxBytes = 400_000;
    const result = await encodeToFit({
      source: await source(1600, 1200, 25, 1.2),
      format: 'jpeg',
      width: 1600,
      height: 1200,
      quality: 90,
      sizeCeiling: undefined,
      maxBytes,
    });
    assert.ok(result.bytes.length <= maxBytes, `${result.bytes.length} bytes`);
    assert.ok(
      result.quality !== undefined && result.quality < 90 && result.quality >= 70,
      `quality ${result.quality}`,
    );
    assert.equal(result.width, 1600, 'no downscale when a quality above the floor fits');
    assert.ok(result.bytes.length > maxBytes * 0.6, 'the prediction does not throw quality away');
  });

  test('just past the worst case, one pass comes first; noise that overflows it is predicted', async () => {
    // 1800 × 1300 at quality 90: pure noise's worst case is 1.12× this limit, within the slack.
    const maxBytes = 2_000_000;
    const request = { format: 'jpeg' as const, width: 1800, height: 1300, quality: 90 };
    const photo = countingBands(await source(1800, 1300, 25, 1.2));
    const fitted = await encodeToFit({
      ...request,
      source: photo.source,
      sizeCeiling: undefined,
      maxBytes,
    });
    assert.equal(fitted.quality, 90);
    assert.equal(photo.bands(), 0, 'no prediction for a photo that fits in one pass');
    const noise = countingBands(await source(1800, 1300, 80, 0));
    const squeezed = await encodeToFit({
      ...request,
      source: noise.source,
      sizeCeiling: undefined,
      maxBytes,
    });
    assert.ok(squeezed.bytes.length <= maxBytes, `${squeezed.bytes.length} bytes`);
    assert.ok((squeezed.quality ?? 90) < 90, `quality ${squeezed.quality}`);
    assert.equal(noise.bands(), 1, 'the overflowing pass was followed by a prediction');
  });

  test('below the quality floor it downscales instead, and never upscales', async () => {
    const maxBytes = 150_000;
    for (const format of ['jpeg', 'webp'] as const) {
      const result = await encodeToFit({
        source: await source(1600, 1200, 80, 0),
        format,
        width: 1600,
        height: 1200,
        quality: 90,
        sizeCeiling: undefined,
        maxBytes,
      });
      assert.ok(result.bytes.length <= maxBytes, `${format}: ${result.bytes.length} bytes`);
      assert.ok(result.width < 1600 && result.height < 1200);
      assert.ok(Math.abs(result.width / result.height - 4 / 3) < 0.01, 'aspect kept');
      assert.ok(result.changes.some((c) => c.tag === 'resized'));
    }
  });

  test('a size ceiling skips sampling, and a wrong one still ends under the limit', async () => {
    const input = await source(1600, 1200, 25, 1.2);
    const request = {
      source: input,
      format: 'jpeg' as const,
      width: 1600,
      height: 1200,
      quality: 90,
    };
    const roomy = await encodeToFit({ ...request, sizeCeiling: 500_000, maxBytes: 1_000_000 });
    assert.equal(roomy.quality, 90);
    const wrong = await encodeToFit({ ...request, sizeCeiling: 100_000, maxBytes: 300_000 });
    assert.ok(
      wrong.bytes.length <= 300_000 && (wrong.quality ?? 90) < 90,
      `${wrong.bytes.length} at ${wrong.quality}`,
    );
  });

  test('PNG is chosen only where it cannot overflow, and is lossless', async () => {
    assert.ok(pngWorstBytes(2000, 2000, 3) > 12_000_000);
    const input = await source(300, 200, 50, 0);
    const result = await encodeToFit({
      source: input,
      format: 'png',
      width: 300,
      height: 200,
      quality: 90,
      sizeCeiling: undefined,
      maxBytes: pngWorstBytes(300, 200, 3),
    });
    const [a, b] = await Promise.all([
      input.open().raw().toBuffer(),
      sharp(inMemory(result.bytes)).raw().toBuffer(),
    ]);
    assert.ok(a.equals(b));
  });
});
