// Proves that uprightJpeg turns a JPEG upright without re-encoding a pixel: for every EXIF
// orientation and chroma layout its output decodes to what sharp's own autoOrient shows (up to the
// decoder's rounding), moving there and back gives the exact source pixels, and every file it
// cannot move perfectly (progressive, partial MCUs on a mirrored edge, damaged, not a JPEG) comes
// back undefined instead of throwing.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { parseJpeg } from '../../../../main/engine/preflight/decoders/jpeg-segments.ts';
import { uprightJpeg } from '../../../../main/engine/preflight/jpeg-lossless/transform.ts';
import { CORPUS } from '../../../support/paths.ts';

/**
 * libjpeg rounds its IDCT passes and its chroma upsampling asymmetrically, so a block decoded
 * mirrored or transposed can land a few levels away from the same block decoded and then turned.
 * Observed: at most 3 on sharp's own files, 4 on a handful of pixels of the phone photos.
 */
const TOLERANCE = 4;
/** ...while on average the two stay well within one level. */
const MEAN_TOLERANCE = 0.5;

const ORIENTATIONS = [2, 3, 4, 5, 6, 7, 8];
/** Orientations whose move mirrors the source's columns (flipX) or rows (flipY). */
const MIRRORS_COLUMNS = new Set([2, 3, 7, 8]);
const MIRRORS_ROWS = new Set([3, 4, 6, 7]);

interface Layout {
  name: string;
  encode: (image: Sharp) => Sharp;
}

const YUV420: Layout = {
  name: '4:2:0',
  encode: (image) => image.jpeg({ quality: 90, chromaSubsampling: '4:2:0' }),
};
const LAYOUTS: Layout[] = [
  YUV420,
  { name: '4:4:4', encode: (image) => image.jpeg({ quality: 90, chromaSubsampling: '4:4:4' }) },
  { name: 'greyscale', encode: (image) => image.greyscale().jpeg({ quality: 90 }) },
];

/** An asymmetric, textured picture: two gradients, two rectangles near one corner, noise. */
function texture(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 24) % 32;
      const red = x < width / 4 && y < height / 5;
      const blue = x > width / 8 && x < width / 3 && y > height / 6 && y < height / 2;
      const at = (y * width + x) * 3;
      data[at] = red ? 230 : Math.floor((x * 200) / width) + noise;
      data[at + 1] = Math.floor((y * 200) / height) + noise;
      data[at + 2] = blue ? 240 : 100 + noise;
    }
  }
  return data;
}

/** A baseline JPEG of the texture, tagged with an EXIF orientation. */
function sourceJpeg(
  layout: Layout,
  width: number,
  height: number,
  orientation: number,
): Promise<Buffer> {
  const image = sharp(texture(width, height), { raw: { width, height, channels: 3 } });
  return layout.encode(image.withMetadata({ orientation })).toBuffer();
}

/** The JPEG with an EXIF block holding only `orientation` put first, the file otherwise untouched. */
function withExifOrientation(jpeg: Uint8Array, orientation: number): Buffer {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1];
  const body = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff, 0, orientation, 0, 0, 0, 0, 0, 0];
  const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from(app1), jpeg.subarray(2)]);
}

interface Pixels {
  width: number;
  height: number;
  data: Buffer;
}

async function pixels(image: Sharp): Promise<Pixels> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

function assertSamePicture(actual: Pixels, expected: Pixels): void {
  assert.deepEqual([actual.width, actual.height], [expected.width, expected.height]);
  assert.equal(actual.data.length, expected.data.length);
  let worst = 0;
  let total = 0;
  for (let i = 0; i < actual.data.length; i += 1) {
    const difference = Math.abs((actual.data[i] ?? 0) - (expected.data[i] ?? 0));
    worst = Math.max(worst, difference);
    total += difference;
  }
  const mean = total / actual.data.length;
  assert.ok(worst <= TOLERANCE, `a channel is ${worst} levels off`);
  assert.ok(mean <= MEAN_TOLERANCE, `channels are ${mean.toFixed(3)} levels off on average`);
}

/** Moves the JPEG and checks the result against sharp turning the decoded source upright. */
async function assertUpright(
  jpeg: Buffer,
  orientation: number,
  expected: Sharp,
): Promise<Uint8Array> {
  const upright = await uprightJpeg(jpeg, orientation);
  assert.ok(upright, 'no lossless transform');
  assertSamePicture(await pixels(sharp(upright)), await pixels(expected));
  return upright;
}

/** Checks that uprightJpeg declines, without printing a whole JPEG when it does not. */
async function assertRefused(
  jpeg: Uint8Array,
  orientation: number,
  message?: string,
): Promise<void> {
  assert.ok((await uprightJpeg(jpeg, orientation)) === undefined, message ?? 'moved anyway');
}

function markers(jpeg: Uint8Array): number[] {
  const structure = parseJpeg(jpeg);
  assert.ok(structure, 'not a well-formed JPEG');
  return structure.segments.map((segment) => segment.marker);
}

/** The APPn and COM segments, whole, in file order. */
function metadataSegments(jpeg: Uint8Array): Buffer[] {
  const structure = parseJpeg(jpeg);
  assert.ok(structure);
  return structure.segments
    .filter(({ marker }) => (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe)
    .map(({ start, end }) => Buffer.from(jpeg.subarray(start, end)));
}

describe('every orientation comes out upright', () => {
  for (const layout of LAYOUTS) {
    for (const orientation of ORIENTATIONS) {
      test(`${layout.name}, orientation ${orientation}`, async () => {
        const jpeg = await sourceJpeg(layout, 320, 192, orientation);
        await assertUpright(jpeg, orientation, sharp(jpeg).autoOrient());
      });
    }
  }

  for (const orientation of ORIENTATIONS) {
    test(`4:2:2 (a camera's file), orientation ${orientation}`, async () => {
      const camera = await readFile(join(CORPUS, 'jpg/gps/DSCN0010.jpg'));
      const jpeg = withExifOrientation(camera, orientation);
      await assertUpright(jpeg, orientation, sharp(jpeg).autoOrient());
    });
  }
});

describe('the move is exact', () => {
  test('moving there and back gives the source pixels exactly', async () => {
    const jpeg = await sourceJpeg(YUV420, 320, 192, 1);
    const original = await sharp(jpeg).raw().toBuffer();
    const trips = [
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
      [7, 7],
      [6, 8],
      [8, 6],
    ] as const;
    for (const [there, back] of trips) {
      const moved = await uprightJpeg(jpeg, there);
      assert.ok(moved);
      const returned = await uprightJpeg(moved, back);
      assert.ok(returned);
      assert.ok((await sharp(returned).raw().toBuffer()).equals(original), `${there}, ${back}`);
    }
  });

  test('three half-turns write the same bytes as one', async () => {
    const jpeg = await sourceJpeg(YUV420, 320, 192, 3);
    const once = await uprightJpeg(jpeg, 3);
    assert.ok(once);
    const twice = await uprightJpeg(once, 3);
    assert.ok(twice);
    const thrice = await uprightJpeg(twice, 3);
    assert.ok(thrice && Buffer.from(thrice).equals(once));
  });

  test('a phone photo (3264×2448, 4:2:0) matches sharp rotating its pixels', async () => {
    const photo = await readFile(join(CORPUS, 'jpg/mobile/jolla.jpg'));
    const upright = await assertUpright(photo, 6, sharp(photo).rotate(90));
    assert.ok(upright.length < photo.length * 1.01, `grew to ${upright.length} bytes`);
  });
});

describe('sharing the thread', () => {
  test('a phone photo turns in slices, letting timers and I/O run between them', async () => {
    const photo = await readFile(join(CORPUS, 'jpg/mobile/jolla.jpg'));
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 0);
    try {
      assert.ok(await uprightJpeg(photo, 6));
    } finally {
      clearInterval(timer);
    }
    assert.ok(turns >= 4, `the event loop ran ${turns} timer turns meanwhile`);
  });
});

describe('restart markers', () => {
  test('a phone photo with restart intervals moves, and comes out without them', async () => {
    const photo = await readFile(join(CORPUS, 'jpg/hdr/iphone_hdr_YES.jpg'));
    assert.ok(markers(photo).includes(0xdd), 'the source has no DRI');
    const upright = await assertUpright(photo, 8, sharp(photo).rotate(270));
    assert.ok(!markers(upright).some((marker) => marker === 0xdd || (marker & 0xf8) === 0xd0));
  });

  test('a small file with restart intervals and partial MCUs can still be transposed', async () => {
    const square = await readFile(join(CORPUS, 'jpg/xmp/BlueSquare.jpg'));
    const jpeg = withExifOrientation(square, 5);
    await assertUpright(jpeg, 5, sharp(jpeg).autoOrient());
    await assertRefused(jpeg, 6);
  });
});

describe('edges', () => {
  // 4:2:0 MCUs are 16×16 pixels: 336 is 21 of them, 200 is 12.5 and 600 × 450 is partial both ways.
  for (const [width, height] of [
    [336, 200],
    [600, 450],
  ] as const) {
    test(`${width}×${height}: only the edges a move mirrors need whole MCUs`, async () => {
      for (const orientation of ORIENTATIONS) {
        const jpeg = await sourceJpeg(YUV420, width, height, orientation);
        const movable =
          (!MIRRORS_COLUMNS.has(orientation) || width % 16 === 0) &&
          (!MIRRORS_ROWS.has(orientation) || height % 16 === 0);
        if (movable) await assertUpright(jpeg, orientation, sharp(jpeg).autoOrient());
        else await assertRefused(jpeg, orientation, `orientation ${orientation}`);
      }
    });
  }
});

describe('what else is kept', () => {
  test('APPn and COM segments come through byte for byte, in order, before the new tables', async () => {
    const tagged = await sourceJpeg(YUV420, 320, 192, 6);
    const comment = Buffer.from([0xff, 0xfe, 0, 9, ...Buffer.from('a note', 'latin1'), 0]);
    const jpeg = Buffer.concat([tagged.subarray(0, 2), comment, tagged.subarray(2)]);
    const upright = await uprightJpeg(jpeg, 6);
    assert.ok(upright);
    const kept = metadataSegments(jpeg);
    assert.ok(kept.some((segment) => segment[1] === 0xe1 && segment.includes('Exif')));
    assert.deepEqual(metadataSegments(upright), kept);
    assert.deepEqual(markers(upright), [
      0xd8,
      ...kept.map((segment) => segment[1]),
      0xdb,
      0xc0,
      0xc4,
      0xda,
      0xd9,
    ]);
  });
});

describe('refusals', () => {
  test('a progressive JPEG', async () => {
    const jpeg = await sharp(texture(320, 192), { raw: { width: 320, height: 192, channels: 3 } })
      .jpeg({ progressive: true })
      .toBuffer();
    await assertRefused(jpeg, 6);
  });

  test('a CMYK JPEG (four components)', async () => {
    const jpeg = await sharp(texture(320, 192), { raw: { width: 320, height: 192, channels: 3 } })
      .withIccProfile('cmyk')
      .jpeg()
      .toBuffer();
    await assertRefused(jpeg, 6);
  });

  test('arithmetic coding, 12-bit samples, a scan that leaves components out', async () => {
    const jpeg = await sourceJpeg(YUV420, 320, 192, 6);
    const segments = parseJpeg(jpeg)?.segments ?? [];
    const sof = segments.find(({ marker }) => marker === 0xc0)?.start ?? 0;
    const sos = segments.find(({ marker }) => marker === 0xda)?.start ?? 0;
    const arithmetic = Buffer.from(jpeg);
    arithmetic[sof + 1] = 0xc9;
    const twelveBit = Buffer.from(jpeg);
    twelveBit[sof + 4] = 12;
    const lumaScan = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0]);
    const lumaOnly = Buffer.concat([jpeg.subarray(0, sos), lumaScan, jpeg.subarray(sos + 14)]);
    for (const bytes of [arithmetic, twelveBit, lumaOnly]) await assertRefused(bytes, 6);
  });

  test('a truncated file, a damaged one, a PNG and nothing at all', async () => {
    const jpeg = await sourceJpeg(YUV420, 320, 192, 6);
    const damaged = await readFile(join(CORPUS, 'jpg/corrupted.jpg'));
    const png = await sharp(jpeg).png().toBuffer();
    for (const bytes of [jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), damaged, png]) {
      await assertRefused(bytes, 6);
    }
    await assertRefused(new Uint8Array(0), 6);
    await assertRefused(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), 6);
  });

  test('orientations that are not a move', async () => {
    const jpeg = await sourceJpeg(YUV420, 320, 192, 1);
    for (const orientation of [1, 9, 0, -3, 2.5, Number.NaN]) {
      await assertRefused(jpeg, orientation, String(orientation));
    }
  });
});
