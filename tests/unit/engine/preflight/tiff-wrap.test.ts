import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import {
  ROWS_PER_STRIP,
  tiffReserve,
  writeTiffHeader,
} from '../../../../main/engine/preflight/decoders/tiff-wrap.ts';

for (const channels of [4, 3] as const) {
  test(`decoded ${channels === 4 ? 'RGBA' : 'RGB'} wrapped as TIFF reaches sharp with its ICC profile and exact pixels`, async () => {
    const width = 37;
    const height = ROWS_PER_STRIP * 2 + 5; // several strips, the last one short
    const icc = (
      await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } })
        .withIccProfile('p3')
        .png()
        .toBuffer()
        .then((b) => sharp(b).metadata())
    ).icc;
    assert.ok(icc);
    const file = Buffer.alloc(tiffReserve(height, icc.length) + width * height * channels);
    const pixels = file.subarray(file.length - width * height * channels);
    for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 31) % 256;
    writeTiffHeader(file, width, height, channels === 4, icc);
    const meta = await sharp(file).metadata();
    assert.equal(meta.width, width);
    assert.equal(meta.height, height);
    assert.ok(meta.icc?.equals(icc));
    const raw = await sharp(file, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
    assert.equal(raw.info.channels, channels);
    assert.ok(raw.data.equals(pixels));
    const converted = await sharp(file).raw().toBuffer();
    assert.equal(converted.equals(pixels), false, 'P3 pixels are converted to sRGB by default');
  });
}
