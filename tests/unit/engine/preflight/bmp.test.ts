import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EngineFailure } from '../../../../main/contract/errors.ts';
import { decodeBmp, readBmpHeader } from '../../../../main/engine/preflight/decoders/bmp.ts';
import { encodeBmp } from './helpers.ts';

function gradient(width: number, height: number, channels: 3 | 4): Uint8Array {
  const pixels = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i += 1) {
    pixels.set(
      [i % 256, (i * 7) % 256, (i * 13) % 256, 255 - (i % 200)].slice(0, channels),
      i * channels,
    );
  }
  return pixels;
}

describe('BMP decoding', () => {
  test('24-bit bottom-up with row padding comes back top row first', () => {
    const pixels = gradient(7, 5, 3);
    const decoded = decodeBmp(encodeBmp(7, 5, 3, pixels), 'a.bmp');
    assert.equal(decoded.channels, 3);
    assert.deepEqual([...decoded.data], [...pixels]);
  });

  test('32-bit keeps a real alpha channel', () => {
    const pixels = gradient(6, 4, 4);
    const decoded = decodeBmp(encodeBmp(6, 4, 4, pixels), 'a.bmp');
    assert.equal(decoded.channels, 4);
    assert.deepEqual([...decoded.data], [...pixels]);
  });

  test('32-bit with an all-zero fourth byte is opaque, not invisible', () => {
    const pixels = gradient(3, 3, 4).map((v, i) => (i % 4 === 3 ? 0 : v));
    const decoded = decodeBmp(encodeBmp(3, 3, 4, pixels), 'a.bmp');
    assert.ok([...decoded.data].filter((_, i) => i % 4 === 3).every((a) => a === 255));
  });

  test('8-bit palette images map through the palette', () => {
    const width = 3;
    const header = Buffer.alloc(54 + 8 + 4 * 2);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(54 + 8, 10); // two palette entries, then pixels
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(width, 18);
    header.writeInt32LE(-2, 22); // top-down
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(8, 28);
    header.writeUInt32LE(2, 46);
    header.set([0, 0, 255, 0, 255, 0, 0, 0], 54); // red, blue (BGR0)
    header.set([0, 1, 0, 0, 1, 1, 0, 0], 62); // rows padded to 4 bytes
    const decoded = decodeBmp(header, 'p.bmp');
    assert.deepEqual(
      [...decoded.data],
      [255, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0],
    );
  });

  test('a truncated file fails with a sentence', () => {
    const bmp = encodeBmp(40, 40, 3, gradient(40, 40, 3));
    assert.equal(readBmpHeader(bmp, 'cut.bmp').width, 40);
    assert.throws(
      () => decodeBmp(bmp.subarray(0, 1000), 'cut.bmp'),
      (error: unknown) =>
        error instanceof EngineFailure && /^cut\.bmp is damaged/.test(error.message),
    );
  });
});
