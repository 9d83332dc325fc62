// Every file of the test corpus (tests/fixtures/corpus) through prepareImage: upright pixels for
// all eight EXIF orientations, no GPS in any output, HEIC decoded through WebAssembly, TIFF
// converted with its alpha, the damaged JPEG refused in one sentence, and the keep-metadata
// policies.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { EngineFailure } from '../../main/contract/errors.ts';
import { prepareImage, type PreparedImage } from '../../main/engine/preflight/prepare.ts';
import { CORPUS, gpsTraces, ifd0Tags, tempDir } from '../unit/engine/preflight/helpers.ts';

const LIMIT = 20_971_520;

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // genqueue-output: results another run wrote beside its sources, not corpus photos.
      if (entry.name !== 'genqueue-output') out.push(...(await walk(path)));
    } else if (entry.name !== 'README.md') {
      out.push(path);
    }
  }
  return out.sort();
}

/** A 4×4 thumbnail, for comparing what a picture shows regardless of its encoding. */
async function thumb(input: string | Buffer | Sharp): Promise<Buffer> {
  const image = typeof input === 'string' || Buffer.isBuffer(input) ? sharp(input) : input;
  return image.resize(4, 4, { fit: 'fill' }).removeAlpha().raw().toBuffer();
}
/**
 * Mean colour of each corner (a sixth of each side), rounded, as a colour-managed viewer shows it:
 * through the file's ICC profile.
 */
async function corners(path: string): Promise<Record<string, number[]>> {
  const shown = await sharp(path).png().toBuffer(); // sharp converts to sRGB on output
  const { width = 0, height = 0 } = await sharp(shown).metadata();
  const w = Math.round(width / 6);
  const h = Math.round(height / 6);
  const at = {
    'top-left': [0, 0],
    'top-right': [width - w, 0],
    'bottom-left': [0, height - h],
    'bottom-right': [width - w, height - h],
  };
  const out: Record<string, number[]> = {};
  for (const [name, [left = 0, top = 0]] of Object.entries(at)) {
    const stats = await sharp(shown).extract({ left, top, width: w, height: h }).stats();
    out[name] = stats.channels.slice(0, 3).map((c) => Math.round(c.mean));
  }
  return out;
}
const distance = (a: Buffer, b: Buffer) =>
  a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length;

describe('the corpus, metadata stripped (the default)', () => {
  const results = new Map<string, PreparedImage | EngineFailure>();
  let cacheDir = '';
  after(() => rm(cacheDir, { recursive: true, force: true }));
  before(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'gq-corpus-'));
    for (const file of await walk(CORPUS)) {
      results.set(
        relative(CORPUS, file),
        await prepareImage(file, { metadata: 'strip', cacheDir }).catch(
          (error: EngineFailure) => error,
        ),
      );
    }
  });
  const ok = (name: string): PreparedImage => {
    const result = results.get(name);
    assert.ok(
      result && !(result instanceof Error),
      `${name}: ${result instanceof Error ? result.message : 'missing'}`,
    );
    return result;
  };

  test('every readable file comes out compliant, without GPS or other metadata', async () => {
    assert.ok(results.size >= 28, `${results.size} corpus files`);
    for (const [name, result] of results) {
      if (name === 'jpg/corrupted.jpg') continue;
      const prepared = ok(name);
      assert.ok(['jpeg', 'png', 'webp', 'gif'].includes(prepared.format), name);
      assert.ok(prepared.bytes <= LIMIT, name);
      assert.equal((await stat(prepared.path)).size, prepared.bytes, name);
      const meta = await sharp(prepared.path).metadata();
      assert.equal(meta.format, prepared.format, name);
      assert.equal(
        [meta.width, meta.height].join('×'),
        [prepared.width, prepared.height].join('×'),
        name,
      );
      assert.deepEqual(await gpsTraces(prepared.path), [], name);
      assert.equal(meta.exif, undefined, `${name} still has EXIF`);
      assert.equal(meta.xmp, undefined, `${name} still has XMP`);
      assert.ok(result instanceof Error || result.report.summary.length > 0);
    }
  });

  test('GPS photos say so in their report', () => {
    for (const name of ['jpg/gps/DSCN0010.jpg', 'jpg/gps/DSCN0012.jpg']) {
      assert.match(ok(name).report.summary, /GPS removed/);
      assert.ok(
        ok(name).report.changes.includes('pixels untouched: metadata removed without re-encoding'),
      );
    }
  });

  for (const kind of ['landscape', 'portrait'] as const) {
    test(`all eight ${kind} orientations come out upright`, async () => {
      const reference = join(CORPUS, `jpg/orientation/${kind}_1.jpg`);
      const wrong = [
        sharp(reference).rotate(90),
        sharp(reference).rotate(180),
        sharp(reference).rotate(270),
        sharp(reference).flip(),
        sharp(reference).flop(),
      ];
      const upright = await thumb(reference);
      const wrongThumbs = await Promise.all(wrong.map((image) => thumb(image)));
      for (let orientation = 1; orientation <= 8; orientation += 1) {
        const prepared = ok(`jpg/orientation/${kind}_${orientation}.jpg`);
        assert.deepEqual(
          [prepared.width, prepared.height],
          kind === 'landscape' ? [600, 450] : [450, 600],
        );
        const seen = await thumb(prepared.path);
        const d = distance(seen, upright);
        assert.ok(d < 12, `${kind}_${orientation}: ${d.toFixed(1)} from upright`);
        for (const other of wrongThumbs) {
          if (other.length === seen.length)
            assert.ok(distance(seen, other) > d, `${kind}_${orientation} looks turned`);
        }
        // The known corners: each corner's colour matches the upright reference's.
        for (const [corner, colour] of Object.entries(await corners(reference))) {
          const seenColour = (await corners(prepared.path))[corner] ?? [];
          const off = Math.max(...colour.map((v, i) => Math.abs(v - (seenColour[i] ?? 0))));
          assert.ok(
            off < 16,
            `${kind}_${orientation}: ${corner} corner is ${seenColour.join('/')}, not ${colour.join('/')}`,
          );
        }
        if (orientation > 1) assert.match(prepared.report.summary, /rotated/);
      }
    });
  }

  test('HEIC and HEIF decode through WebAssembly to upright JPEGs of the right size', () => {
    const sizes: Record<string, [number, number]> = {
      'heic/samplefilehub.heif': [640, 426],
      'heic/mobile/iphone_13_pro_max.HEIC': [3024, 4032],
    };
    for (const [name, size] of Object.entries(sizes)) {
      const prepared = ok(name);
      assert.equal(prepared.format, 'jpeg', name);
      assert.deepEqual([prepared.width, prepared.height], size, name);
      assert.match(prepared.report.summary, /HEIC → .* JPEG/, name);
    }
  });

  test('TIFFs become PNGs and keep their alpha', async () => {
    for (const name of ['tiff/BSG1.tiff', 'tiff/Crémieux11.tiff']) {
      const prepared = ok(name);
      assert.equal(prepared.format, 'png');
      assert.equal((await sharp(prepared.path).metadata()).hasAlpha, true, name);
    }
  });

  test('the damaged JPEG fails alone, in one sentence naming it', () => {
    const failure = results.get('jpg/corrupted.jpg');
    assert.ok(failure instanceof EngineFailure);
    assert.equal(failure.error.code, 'corrupt');
    assert.match(failure.message, /^corrupted\.jpg is damaged: [^.]+\.$/);
  });
});

describe('the corpus with metadata kept', () => {
  for (const name of [
    'jpg/gps/DSCN0010.jpg',
    'jpg/orientation/landscape_6.jpg',
    'heic/samplefilehub.heif',
  ]) {
    test(`${name}: keep leaves EXIF but never GPS; keep-with-gps leaves GPS`, async (t) => {
      const cacheDir = await tempDir(t);
      const source = join(CORPUS, name);
      const kept = await prepareImage(source, { metadata: 'keep', cacheDir });
      assert.deepEqual(await gpsTraces(kept.path), []);
      const meta = await sharp(kept.path).metadata();
      assert.ok(meta.exif, 'EXIF kept');
      if (name.includes('DSCN'))
        assert.ok(ifd0Tags(meta.exif).includes(0x010f), 'camera make kept');
      assert.equal(meta.orientation ?? 1, 1, 'orientation says upright');
      const all = await prepareImage(source, { metadata: 'keep-with-gps', cacheDir });
      const sourceHasGps = (await gpsTraces(source)).length > 0;
      assert.equal((await gpsTraces(all.path)).length > 0, sourceHasGps);
      if (name.endsWith('DSCN0010.jpg')) {
        assert.ok(all.passthrough, 'nothing to change: passed through');
        assert.ok((await readFile(all.path)).equals(await readFile(source)));
      }
    });
  }
});
