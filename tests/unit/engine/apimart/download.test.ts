// The download's type check from the first bytes: the four types APIMart returns, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { sniffBytes } from '../../../../main/engine/apimart/download.ts';

test('recognises jpeg, png, webp and gif made by sharp', async () => {
  for (const format of ['jpeg', 'png', 'webp', 'gif'] as const) {
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
      .toFormat(format)
      .toBuffer();
    assert.equal(sniffBytes(bytes.subarray(0, 12)), format);
  }
});

test('refuses pages, other images and short heads', async () => {
  assert.equal(sniffBytes(Buffer.from('<html><body>')), undefined);
  assert.equal(sniffBytes(Buffer.from([0xff, 0xd8])), undefined);
  assert.equal(sniffBytes(Buffer.from('RIFF\0\0\0\0WAVE')), undefined);
  const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
    .tiff()
    .toBuffer();
  assert.equal(sniffBytes(tiff.subarray(0, 12)), undefined);
});
