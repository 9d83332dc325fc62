import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  parseJpeg,
  readJpegHeader,
} from '../../../../main/engine/preflight/decoders/jpeg-segments.ts';
import {
  markUprightInPlace,
  rewriteJpegMetadata,
} from '../../../../main/engine/preflight/metadata/rewrite.ts';
import { CORPUS, ifd0Tags } from './helpers.ts';

const photo = () =>
  sharp({
    create: {
      width: 320,
      height: 240,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });

describe('JPEG quality from the quantisation tables', () => {
  for (const quality of [40, 60, 75, 85, 90, 95, 100]) {
    test(`a file saved at ${quality} reads as ${quality}`, async () => {
      const jpeg = await photo().jpeg({ quality }).toBuffer();
      const estimate = readJpegHeader(jpeg).quality;
      assert.ok(
        estimate !== undefined && Math.abs(estimate - quality) <= 1,
        `estimated ${estimate}`,
      );
    });
  }

  test('counts four components in a CMYK JPEG', async () => {
    const cmyk = await photo().withIccProfile('cmyk').jpeg().toBuffer();
    assert.equal(readJpegHeader(cmyk).components, 4);
  });
});

describe('JPEG structure', () => {
  test('walks a progressive JPEG through every scan to EOI', async () => {
    const jpeg = await photo().jpeg({ progressive: true }).toBuffer();
    const structure = parseJpeg(jpeg);
    assert.ok(structure);
    assert.equal(structure.end, jpeg.length);
    assert.ok(structure.segments.filter((s) => s.marker === 0xda).length > 1);
  });

  test('a truncated JPEG has no structure', async () => {
    const jpeg = await photo().jpeg().toBuffer();
    assert.equal(parseJpeg(jpeg.subarray(0, jpeg.length - 200)), undefined);
  });
});

describe('lossless metadata rewrite', () => {
  test('strip removes EXIF, XMP and trailers and leaves the pixels identical', async () => {
    const source = await readFile(join(CORPUS, 'jpg/gps/DSCN0010.jpg'));
    const structure = parseJpeg(source);
    assert.ok(structure);
    const trailer = Buffer.concat([source, Buffer.from('vendor trailer with secrets')]);
    const rewrite = rewriteJpegMetadata(trailer, structure, 'strip');
    assert.ok(rewrite.removedGps && rewrite.removedMetadata);
    const meta = await sharp(rewrite.bytes).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(Buffer.from(rewrite.bytes).includes('vendor trailer'), false);
    const before = await sharp(source).raw().toBuffer();
    const after = await sharp(rewrite.bytes).raw().toBuffer();
    assert.ok(before.equals(after), 'decoded pixels differ');
  });

  test('keep blanks GPS but keeps the rest of EXIF, in a file of the same length', async () => {
    const source = await readFile(join(CORPUS, 'jpg/gps/DSCN0010.jpg'));
    const structure = parseJpeg(source);
    assert.ok(structure);
    const rewrite = rewriteJpegMetadata(source, structure, 'keep');
    assert.ok(rewrite.removedGps);
    assert.equal(rewrite.bytes.length, source.length);
    const before = await sharp(source).metadata();
    const after = await sharp(rewrite.bytes).metadata();
    assert.ok(before.exif && ifd0Tags(before.exif).includes(0x8825));
    assert.ok(after.exif);
    const tags = ifd0Tags(after.exif);
    assert.equal(tags.includes(0x8825), false);
    assert.ok(tags.includes(0x010f), 'camera make kept'); // Make
    assert.ok(tags.includes(0x8769), 'EXIF sub-directory kept');
  });
});

describe('marking turned pixels upright', () => {
  test('EXIF and XMP orientations become 1, in place, and no other byte changes', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6">' +
      '<tiff:Orientation>6</tiff:Orientation></rdf:Description></rdf:RDF></x:xmpmeta>';
    const jpeg = await photo().jpeg().withMetadata({ orientation: 6 }).withXmp(xmp).toBuffer();
    const bytes = new Uint8Array(jpeg);
    const structure = parseJpeg(bytes);
    assert.ok(structure);
    markUprightInPlace(bytes, structure);
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.orientation, 1);
    const written = meta.xmp?.toString('utf8') ?? '';
    assert.match(written, /tiff:Orientation="1"/);
    assert.match(written, /<tiff:Orientation>1</);
    const changed = bytes.filter((byte, i) => byte !== jpeg[i]).length;
    assert.equal(changed, 3, 'one EXIF byte and two XMP digits');
  });
});
