// Conversions and the cheap paths, on files made by sharp inside the test: pass-through byte for
// byte, CMYK through its profile, 16-bit PNG, SVG, AVIF, BMP, the quality cap on a rotated JPEG,
// maximum dimension without upscaling, and the content-hash cache.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { readJpegHeader } from '../../main/engine/preflight/decoders/jpeg-segments.ts';
import { prepareImage } from '../../main/engine/preflight/prepare.ts';
import { encodeBmp, tempDir } from '../unit/engine/preflight/helpers.ts';

const scene = (width = 320, height = 240) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 120, sigma: 40 },
    },
  }).blur(1.5);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('pass-through', () => {
  for (const format of ['jpeg', 'png', 'webp', 'gif'] as const) {
    test(`a clean ${format} is used byte for byte`, async (t) => {
      const dir = await tempDir(t);
      const source = join(dir, `clean.${format}`);
      await scene()[format]().toFile(source);
      const prepared = await prepareImage(source, {
        metadata: 'strip',
        cacheDir: join(dir, 'cache'),
      });
      assert.equal(prepared.passthrough, true);
      assert.equal(prepared.path, source);
      const bytes = await readFile(source);
      assert.ok((await readFile(prepared.path)).equals(bytes));
      assert.equal(prepared.sha256, sha(bytes));
      assert.equal(prepared.sourceSha256, sha(bytes));
      assert.equal(prepared.bytes, bytes.length);
      assert.match(prepared.report.summary, /unchanged$/);
    });
  }
});

describe('conversions', () => {
  test('CMYK JPEG becomes sRGB through its ICC profile, colours right', async (t) => {
    const dir = await tempDir(t);
    const source = join(dir, 'print.jpg');
    const rgb = sharp({
      create: { width: 200, height: 150, channels: 3, background: { r: 200, g: 40, b: 60 } },
    });
    await rgb.clone().withIccProfile('cmyk').jpeg({ quality: 95 }).toFile(source);
    assert.equal((await sharp(source).metadata()).space, 'cmyk');
    const prepared = await prepareImage(source, { metadata: 'strip', cacheDir: dir });
    const meta = await sharp(prepared.path).metadata();
    assert.equal(meta.space, 'srgb');
    // The profile's own conversion of the CMYK pixels (a naive 255 × (1 − C)(1 − K) would differ).
    const converted = await sharp(source).raw().toBuffer();
    const expected = [0, 1, 2].map(
      (c) =>
        converted.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / (converted.length / 3),
    );
    const mean = (await sharp(prepared.path).stats()).channels.map((c) => c.mean);
    mean.forEach((value, i) => assert.ok(Math.abs(value - (expected[i] ?? 0)) < 4, mean.join('/')));
    assert.ok(
      (mean[0] ?? 0) > 170 && (mean[1] ?? 255) < 60 && (mean[2] ?? 255) < 80,
      `${mean.join('/')} is not red`,
    );
    assert.match(prepared.report.summary, /CMYK → sRGB/);
  });

  test('16-bit PNG becomes 8-bit PNG, alpha kept', async (t) => {
    const dir = await tempDir(t);
    const source = join(dir, 'deep.png');
    await scene().ensureAlpha(0.6).toColourspace('rgb16').png().toFile(source);
    assert.equal((await sharp(source).metadata()).depth, 'ushort');
    const prepared = await prepareImage(source, { metadata: 'strip', cacheDir: dir });
    const meta = await sharp(prepared.path).metadata();
    assert.deepEqual([prepared.format, meta.depth, meta.hasAlpha], ['png', 'uchar', true]);
  });

  test('SVG, AVIF and BMP become allowed formats; transparency never becomes JPEG', async (t) => {
    const dir = await tempDir(t);
    const svg = join(dir, 'logo.svg');
    await writeFile(
      svg,
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><circle cx="40" cy="40" r="30" fill="#c00"/></svg>',
    );
    const avifOpaque = join(dir, 'photo.avif');
    await scene().avif({ quality: 60 }).toFile(avifOpaque);
    const avifAlpha = join(dir, 'sticker.avif');
    await scene().ensureAlpha(0.5).avif({ quality: 60 }).toFile(avifAlpha);
    const bmp = join(dir, 'paint.bmp');
    const pixels = await scene(90, 60).raw().toBuffer();
    await writeFile(bmp, encodeBmp(90, 60, 3, pixels));
    const expected: [string, string, boolean][] = [
      [svg, 'png', true],
      [avifOpaque, 'jpeg', false],
      [avifAlpha, 'webp', true],
      [bmp, 'png', false],
    ];
    for (const [path, format, alpha] of expected) {
      const prepared = await prepareImage(path, { metadata: 'strip', cacheDir: dir });
      const meta = await sharp(prepared.path).metadata();
      assert.deepEqual(
        [prepared.format, meta.format, meta.hasAlpha],
        [format, format, alpha],
        path,
      );
    }
    const fromBmp = await prepareImage(bmp, { metadata: 'strip', cacheDir: dir });
    assert.ok(
      (await sharp(fromBmp.path).raw().toBuffer()).equals(pixels),
      'BMP pixels kept exactly',
    );
  });
});

describe('rotation, quality and size', () => {
  test('a rotated JPEG of whole 16-pixel blocks turns upright without re-encoding', async (t) => {
    const dir = await tempDir(t);
    const source = join(dir, 'phone.jpg');
    await scene(640, 480).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toFile(source);
    const prepared = await prepareImage(source, { metadata: 'keep', cacheDir: dir });
    assert.deepEqual([prepared.width, prepared.height], [480, 640]);
    assert.match(prepared.report.changes.join(' '), /turned upright without re-encoding/);
    const bytes = await readFile(prepared.path);
    assert.equal(readJpegHeader(bytes).quality, 85, 'the same quantisation tables');
    assert.equal((await sharp(bytes).metadata()).orientation, 1, 'kept EXIF says upright');
    const upright = await sharp(source).autoOrient().raw().toBuffer();
    const turned = await sharp(bytes).raw().toBuffer();
    assert.equal(turned.length, upright.length);
    // The same coefficients, moved: only the decoder's IDCT rounding can differ.
    const gaps = turned.map((value, i) => Math.abs(value - (upright[i] ?? 0)));
    const worst = gaps.reduce((most, gap) => Math.max(most, gap), 0);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    assert.ok(worst <= 4 && mean < 0.5, `pixels differ by up to ${worst} (mean ${mean})`);
  });

  test('a rotated JPEG that cannot turn losslessly is re-encoded no higher than its own quality', async (t) => {
    const dir = await tempDir(t);
    const source = join(dir, 'phone.jpg');
    // 650 × 490 is not whole 16-pixel blocks: turning it moves the padding to the wrong edge.
    await scene(650, 490).jpeg({ quality: 60 }).withMetadata({ orientation: 6 }).toFile(source);
    const prepared = await prepareImage(source, { metadata: 'strip', cacheDir: dir });
    assert.deepEqual([prepared.width, prepared.height], [490, 650]);
    assert.doesNotMatch(prepared.report.changes.join(' '), /without re-encoding/);
    const quality = readJpegHeader(await readFile(prepared.path)).quality ?? 100;
    assert.ok(quality <= 60, `re-encoded at ${quality}`);
    // Our encoder skips Huffman optimisation (ten times the encode for 1% on photos), so allow
    // a few percent; re-encoding above the source's quality is what really grows a file.
    const sourceBytes = (await stat(source)).size;
    assert.ok(prepared.bytes <= sourceBytes * 1.1, `${prepared.bytes} from ${sourceBytes}`);
    const above = await sharp(source)
      .autoOrient()
      .jpeg({ quality: 90, optimiseCoding: false })
      .toBuffer();
    assert.ok(above.length > prepared.bytes * 1.3, 'quality 90 would have grown it far more');
    assert.match(prepared.report.summary, /rotated/);
  });

  test('the maximum dimension scales down, never up', async (t) => {
    const dir = await tempDir(t);
    const source = join(dir, 'wide.png');
    await scene(1200, 800).png().toFile(source);
    const small = await prepareImage(source, {
      metadata: 'strip',
      maxDimension: 600,
      cacheDir: dir,
    });
    assert.deepEqual([small.width, small.height], [600, 400]);
    assert.match(small.report.summary, /resized/);
    const large = await prepareImage(source, {
      metadata: 'strip',
      maxDimension: 5000,
      cacheDir: dir,
    });
    assert.equal(large.passthrough, true);
    assert.deepEqual([large.width, large.height], [1200, 800]);
  });
});

describe('quality predicted from crops of the top band', () => {
  const maxBytes = 90_000;
  const cases = [
    ['CMYK JPEG', 'print.jpg', (s: Sharp) => s.withIccProfile('cmyk').jpeg({ quality: 95 })],
    [
      '16-bit PNG with alpha',
      'deep.png',
      (s: Sharp) => s.ensureAlpha(0.6).toColourspace('rgb16').png(),
    ],
    [
      'JPEG turned by EXIF',
      'turned.jpg',
      (s: Sharp) => s.jpeg({ quality: 95 }).withMetadata({ orientation: 6 }),
    ],
  ] as const;
  for (const [kind, name, make] of cases) {
    test(`a ${kind} over the limit fits, upright and in sRGB`, async (t) => {
      const dir = await tempDir(t);
      const source = join(dir, name);
      await make(scene(900, 600)).toFile(source);
      assert.ok((await stat(source)).size > maxBytes);
      const prepared = await prepareImage(source, { metadata: 'strip', maxBytes, cacheDir: dir });
      assert.ok(prepared.bytes <= maxBytes, `${prepared.bytes} bytes`);
      const meta = await sharp(prepared.path).metadata();
      assert.equal(meta.space, 'srgb');
      assert.equal(meta.hasAlpha, kind === '16-bit PNG with alpha');
      const ratio = (meta.width ?? 0) / (meta.height ?? 1);
      const upright = kind === 'JPEG turned by EXIF' ? 600 / 900 : 900 / 600;
      assert.ok(Math.abs(ratio - upright) < 0.01, `${meta.width}×${meta.height}`);
    });
  }
});

describe('the cache', () => {
  test('a rerun returns the stored result without preparing again', async (t) => {
    const dir = await tempDir(t);
    const cacheDir = join(dir, 'cache');
    const source = join(dir, 'turned.jpg');
    await scene().jpeg().withMetadata({ orientation: 3 }).toFile(source);
    const first = await prepareImage(source, { metadata: 'strip', cacheDir });
    const written = (await stat(first.path)).mtimeMs;
    const again = await prepareImage(source, { metadata: 'strip', cacheDir });
    assert.deepEqual(again, first);
    assert.equal((await stat(again.path)).mtimeMs, written, 'the cached file was not rewritten');
    const other = await prepareImage(source, { metadata: 'strip', maxDimension: 100, cacheDir });
    assert.notEqual(other.path, first.path, 'other settings, other entry');
  });

  test('a file over the limit, hashed while its preparation starts, is also prepared once', async (t) => {
    const dir = await tempDir(t);
    const cacheDir = join(dir, 'cache');
    const source = join(dir, 'big.png');
    await scene().png().toFile(source);
    const maxBytes = Math.floor((await stat(source)).size / 2);
    const first = await prepareImage(source, { metadata: 'strip', maxBytes, cacheDir });
    assert.ok(first.bytes <= maxBytes && !first.passthrough);
    const written = (await stat(first.path)).mtimeMs;
    const again = await prepareImage(source, { metadata: 'strip', maxBytes, cacheDir });
    assert.deepEqual(again, first);
    assert.equal((await stat(again.path)).mtimeMs, written, 'the cached file was not rewritten');
  });

  test('a copy of a large file is found in the cache; same-sized other content is prepared afresh', async (t) => {
    const dir = await tempDir(t);
    const cacheDir = join(dir, 'cache');
    const first = join(dir, 'first.tiff');
    const copy = join(dir, 'copy.tiff');
    const other = join(dir, 'other.tiff');
    await scene().tiff({ compression: 'none' }).toFile(first);
    await scene().negate().tiff({ compression: 'none' }).toFile(other);
    await copyFile(first, copy);
    const size = (await stat(first)).size;
    assert.equal((await stat(other)).size, size, 'the same size, other pixels');
    const maxBytes = Math.floor(size / 2); // over the limit: hashed while preparation starts
    const prepared = await prepareImage(first, { metadata: 'strip', maxBytes, cacheDir });
    const again = await prepareImage(copy, { metadata: 'strip', maxBytes, cacheDir });
    assert.deepEqual(again, prepared, 'the same content under another name');
    const fresh = await prepareImage(other, { metadata: 'strip', maxBytes, cacheDir });
    assert.notEqual(fresh.path, prepared.path);
    assert.equal(fresh.sourceSha256, sha(await readFile(other)));
    assert.equal(fresh.sha256, sha(await readFile(fresh.path)));
  });

  test('a pass-through hit names the file asked about, not the first one seen', async (t) => {
    const dir = await tempDir(t);
    const cacheDir = join(dir, 'cache');
    const a = join(dir, 'a.png');
    const b = join(dir, 'b.png');
    await scene().png().toFile(a);
    await copyFile(a, b);
    assert.equal((await prepareImage(a, { metadata: 'strip', cacheDir })).path, a);
    assert.equal((await prepareImage(b, { metadata: 'strip', cacheDir })).path, b);
  });
});
