import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import {
  exifHasGps,
  removeGpsInPlace,
  tiffStart,
} from '../../../../main/engine/preflight/metadata/exif.ts';
import { embedMetadata } from '../../../../main/engine/preflight/metadata/embed.ts';
import {
  containerIsWhole,
  rewriteMetadata,
} from '../../../../main/engine/preflight/metadata/rewrite.ts';
import { ifd0Tags } from './helpers.ts';

const GPS = {
  IFD0: { Copyright: 'Test Person', Orientation: '6' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '51/1 30/1 0/1',
    GPSLongitudeRef: 'W',
    GPSLongitude: '0/1 7/1 0/1',
  },
};
const base = () =>
  sharp({
    create: {
      width: 64,
      height: 48,
      channels: 4,
      background: { r: 10, g: 200, b: 30, alpha: 0.5 },
    },
  });

describe('GPS removal in EXIF', () => {
  test('takes the GPS pointer out of IFD0 and keeps every other tag', async () => {
    const jpeg = await base().jpeg().withExif(GPS).toBuffer();
    const exif = (await sharp(jpeg).metadata()).exif;
    assert.ok(exif && exifHasGps(exif));
    const tiff = new Uint8Array(exif.subarray(tiffStart(exif)));
    const before = ifd0Tags(tiff);
    assert.equal(removeGpsInPlace(tiff), 'removed');
    const after = ifd0Tags(tiff);
    assert.deepEqual(
      after,
      before.filter((tag) => tag !== 0x8825),
    );
    assert.equal(removeGpsInPlace(tiff), 'none');
    assert.ok(exifHasGps(exif), 'the check works on a copy and leaves its input alone');
  });

  test('reports a structure it cannot walk', () => {
    const broken = Buffer.from('II*\0\xff\xff\xff\x7f', 'latin1');
    assert.equal(removeGpsInPlace(broken), 'malformed');
  });
});

for (const format of ['png', 'webp'] as const) {
  describe(`${format} metadata rewrite`, () => {
    test('strip drops EXIF and keep drops only GPS; pixels untouched', async () => {
      const file = await base()[format]().withExif(GPS).toBuffer();
      const stripped = rewriteMetadata(format, file, 'strip');
      assert.ok(stripped?.removedMetadata && stripped.removedGps);
      assert.equal((await sharp(stripped.bytes).metadata()).exif, undefined);
      const kept = rewriteMetadata(format, file, 'keep');
      assert.ok(kept?.removedGps);
      const exif = (await sharp(kept.bytes).metadata()).exif;
      assert.ok(exif);
      assert.equal(ifd0Tags(exif).includes(0x8825), false);
      assert.ok(ifd0Tags(exif).includes(0x8298), 'copyright kept');
      const [a, b] = await Promise.all([
        sharp(file).raw().toBuffer(),
        sharp(stripped.bytes).raw().toBuffer(),
      ]);
      assert.ok(a.equals(b));
      assert.ok(containerIsWhole(format, stripped.bytes));
      assert.equal(containerIsWhole(format, file.subarray(0, file.length - 20)), false);
    });

    test('a file without metadata needs no rewrite', async () => {
      const file = await base()[format]().toBuffer();
      const rewrite = rewriteMetadata(format, file, 'strip');
      assert.ok(rewrite && !rewrite.removedMetadata && !rewrite.removedGps);
    });
  });
}

describe('embedding kept metadata into a re-encoded file', () => {
  for (const format of ['jpeg', 'png'] as const) {
    test(`${format}: EXIF goes back upright and without GPS unless allowed`, async () => {
      const source = await base().jpeg().withExif(GPS).toBuffer();
      const exif = (await sharp(source).metadata()).exif;
      const encoded = await base()[format]().toBuffer();
      const kept = embedMetadata(encoded, format, exif, undefined, 'keep');
      assert.ok(kept.carried);
      const meta = await sharp(kept.bytes).metadata();
      assert.equal(meta.orientation, 1);
      assert.ok(meta.exif && !ifd0Tags(meta.exif).includes(0x8825));
      const all = embedMetadata(encoded, format, exif, undefined, 'keep-with-gps');
      const withGps = await sharp(all.bytes).metadata();
      assert.ok(withGps.exif && ifd0Tags(withGps.exif).includes(0x8825));
      assert.ok(
        (await sharp(kept.bytes).raw().toBuffer()).equals(await sharp(encoded).raw().toBuffer()),
      );
    });
  }
});
