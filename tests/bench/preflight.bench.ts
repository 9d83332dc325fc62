// Preflight benchmark (issue 3). Makes its inputs in a temp folder (an 8000×6000 PNG, a 6000×4000
// q100 JPEG, a 6000×4000 TIFF, a 4000×3000 RGBA PNG, an 8000×6000 noisy q100 JPEG, a 40-frame GIF,
// a 4032×3024 JPEG that only needs turning upright, the corpus's 4032×3024 HEIC and a clean JPEG
// that needs nothing) and prepares each one in a
// fresh child process, against (a) ImageMagick producing an equivalent compliant file and (b) the
// floor: sharp decoding the file plus one encode at the same format and quality. Each run reports
// its own wall time and peak RSS. Run: node tests/bench/preflight.bench.ts (BENCH_QUICK=1: smaller;
// BENCH_RUNS=3: three interleaved rounds, each side's fastest time and highest peak RSS;
// BENCH_ONLY=gif,heic: only those inputs)
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { peakRssMb, runChild } from './child-process.ts';
import { noisyGif } from '../support/images.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const SELF = import.meta.filename;
const REPO = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(REPO, 'tests/fixtures/corpus');
const scale = QUICK ? 0.4 : 1;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
/** BENCH_ONLY=gif,heic makes and measures only those inputs. */
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);

interface Input {
  key: string;
  label: string;
  file: string;
}

interface Run {
  ms: number;
  rssMb: number | undefined;
  bytes: number;
}

interface ChildReport extends Run {
  rssMb: number;
  format?: string;
  quality?: number;
  width?: number;
  height?: number;
  summary?: string;
}

/** First calls pay for libvips start-up and lazy initialisation: not what is being measured. */
async function warmUp(mode: string, out: string): Promise<void> {
  if (mode === 'hash') return;
  const tiny = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
  if (mode !== 'genqueue') return;
  const { prepareImage } = await import('../../main/engine/preflight/prepare.ts');
  const file = path.join(out, 'warm-up.jpg');
  await writeFile(file, tiny);
  await prepareImage(file, { metadata: 'strip', cacheDir: path.join(out, 'warm-up') });
}

async function child(mode: string, input: string, out: string, format: string, quality: number) {
  await warmUp(mode, out);
  if (mode === 'genqueue') {
    const { prepareImage } = await import('../../main/engine/preflight/prepare.ts');
    const { readJpegHeader } =
      await import('../../main/engine/preflight/decoders/jpeg-segments.ts');
    const t0 = performance.now();
    const prepared = await prepareImage(input, { metadata: 'strip', cacheDir: out });
    const ms = performance.now() - t0;
    const jpeg = prepared.format === 'jpeg' ? await readFile(prepared.path) : undefined;
    const match = /quality (\d+)/.exec(prepared.report.changes.join(' '));
    const quality = (jpeg && readJpegHeader(jpeg).quality) ?? (match ? Number(match[1]) : 90);
    const { bytes, width, height, report } = prepared;
    emit({
      bytes,
      format: prepared.format,
      quality,
      width,
      height,
      summary: report.summary,
      ms,
      rssMb: peakRssMb(),
    });
    return;
  }
  if (mode === 'hash') {
    const t0 = performance.now();
    const hash = createHash('sha256')
      .update(await readFile(input))
      .digest('hex');
    emit({
      ms: performance.now() - t0,
      rssMb: peakRssMb(),
      bytes: hash.length,
    });
    return;
  }
  // The floor: one decode, one encode, same format and quality as GenQueue's result.
  const { encoder } = await import('../../main/engine/preflight/pipeline/encode.ts');
  const t0 = performance.now();
  let pipeline;
  if (input.toLowerCase().endsWith('.heic')) {
    const { decodeHeic } = await import('../../main/engine/preflight/decoders/heic.ts');
    const decoded = await decodeHeic(await readFile(input), 'bench.heic', undefined);
    pipeline = sharp(decoded.tiff);
  } else {
    pipeline = sharp(input, { animated: format === 'gif' });
  }
  const bytes =
    format === 'gif'
      ? await pipeline.gif({ colours: 128, effort: 7, interFrameMaxError: 8 }).toBuffer()
      : await encoder(pipeline.autoOrient(), format as 'jpeg' | 'png' | 'webp', quality).toBuffer();
  emit({
    ms: performance.now() - t0,
    rssMb: peakRssMb(),
    bytes: bytes.length,
  });
}

function emit(report: ChildReport) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

const HAVE_TIME = existsSync('/usr/bin/time');
const HAVE_MAGICK = (() => {
  try {
    return execFileSync('convert', ['-version'], { encoding: 'utf8' }).includes('ImageMagick');
  } catch {
    return false;
  }
})();

/** jpegtran (libjpeg-turbo-progs): the lossless turn's own baseline, when installed. */
const HAVE_JPEGTRAN = existsSync('/usr/bin/jpegtran');

/** A C tool in its own process: wall time and peak RSS from /usr/bin/time when present. */
function runTool(tool: string, args: string[], output: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const command = HAVE_TIME ? '/usr/bin/time' : tool;
    const argv = HAVE_TIME ? ['-f', 'GQTIME %e %M', tool, ...args] : args;
    const proc = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', async (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${tool} failed: ${err.slice(-400)}`));
      const timed = /GQTIME ([\d.]+) (\d+)/.exec(err);
      resolve({
        ms: timed ? Number(timed[1]) * 1000 : ms,
        rssMb: timed ? Number(timed[2]) / 1024 : undefined,
        bytes: (await stat(output)).size,
      });
    });
  });
}

async function tile(channels: 3 | 4, sigma: number): Promise<Buffer> {
  const background = channels === 4 ? { r: 0, g: 0, b: 0, alpha: 1 } : '#000';
  return sharp({
    create: {
      width: 509,
      height: 509,
      channels,
      background,
      noise: { type: 'gaussian', mean: 128, sigma },
    },
  })
    .png()
    .toBuffer();
}

/** A textured canvas: a colour gradient with a noise tile laid over it (and a round alpha mask). */
async function canvas(width: number, height: number, sigma: number, alpha = false) {
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const svg = (body: string) =>
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`);
  const gradient = svg(
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#2a6"/><stop offset="1" stop-color="#c53"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>',
  );
  const raw = { width: w, height: h, channels: 3 } as const;
  const base = await sharp(gradient).removeAlpha().raw().toBuffer();
  const textured = await sharp(base, { raw })
    .composite([{ input: await tile(3, sigma), tile: true, blend: 'overlay' }])
    .removeAlpha()
    .raw()
    .toBuffer();
  if (!alpha) return sharp(textured, { raw });
  const disc = svg(`<circle cx="${w / 2}" cy="${h / 2}" r="${Math.min(w, h) / 2.2}" fill="#fff"/>`);
  const mask = await sharp(disc).extractChannel(3).raw().toBuffer();
  return sharp(textured, { raw }).joinChannel(mask, { raw: { width: w, height: h, channels: 1 } });
}

async function animation(file: string): Promise<void> {
  await noisyGif(file, {
    width: Math.round(1100 * scale),
    height: Math.round(1000 * scale),
    frames: QUICK ? 12 : 40,
    stripeShift: 3,
    grain: 4,
    delayMs: 80,
  });
}

const dims = (w: number, h: number) => `${Math.round(w * scale)}×${Math.round(h * scale)}`;

async function makeInputs(dir: string): Promise<Input[]> {
  const at = (name: string) => path.join(dir, name);
  const inputs: Input[] = [];
  const add = async (key: string, label: string, file: string, make: () => Promise<unknown>) => {
    if (ONLY && !ONLY.includes(key)) return;
    const t0 = performance.now();
    await make();
    const mb = ((await stat(file)).size / 1e6).toFixed(1);
    process.stderr.write(
      `  made ${key} (${mb} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    inputs.push({ key, label: `${label}, ${mb} MB`, file });
  };
  await add('png', `${dims(8000, 6000)} PNG`, at('big.png'), async () =>
    (await canvas(8000, 6000, 20)).png({ compressionLevel: 3 }).toFile(at('big.png')),
  );
  await add('jpeg-q100', `${dims(6000, 4000)} q100 JPEG`, at('q100.jpg'), async () =>
    (await canvas(6000, 4000, 60)).jpeg({ quality: 100 }).toFile(at('q100.jpg')),
  );
  await add('tiff', `${dims(6000, 4000)} TIFF`, at('scan.tiff'), async () =>
    (await canvas(6000, 4000, 20)).tiff({ compression: 'lzw' }).toFile(at('scan.tiff')),
  );
  await add('rgba-png', `${dims(4000, 3000)} RGBA PNG`, at('cutout.png'), async () =>
    (await canvas(4000, 3000, 30, true)).png({ compressionLevel: 3 }).toFile(at('cutout.png')),
  );
  await add('noisy-jpeg', `${dims(8000, 6000)} noisy q100 JPEG`, at('noisy.jpg'), async () =>
    (await canvas(8000, 6000, 42)).jpeg({ quality: 100 }).toFile(at('noisy.jpg')),
  );
  await add('gif', `${QUICK ? 12 : 40}-frame ${dims(1100, 1000)} GIF`, at('anim.gif'), () =>
    animation(at('anim.gif')),
  );
  await add('rotated', `${dims(4032, 3024)} JPEG, EXIF orientation 6`, at('turned.jpg'), async () =>
    (await canvas(4032, 3024, 20))
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6 })
      .toFile(at('turned.jpg')),
  );
  const heic = path.join(CORPUS, 'heic/mobile/iphone_13_pro_max.HEIC');
  if (existsSync(heic))
    await add('heic', '4032×3024 HEIC', at('phone.heic'), () => copyFile(heic, at('phone.heic')));
  await add('clean', `${dims(4000, 3000)} JPEG, nothing to do`, at('clean.jpg'), async () =>
    (await canvas(4000, 3000, 20)).jpeg({ quality: 90 }).toFile(at('clean.jpg')),
  );
  return inputs;
}

function magickArgs(input: Input, g: ChildReport, output: string): string[] {
  const strip = ['-auto-orient', '-strip'];
  const size = `${g.width}x${g.height}!`;
  const quality = String(g.quality ?? 90);
  if (g.format === 'gif') {
    return [
      input.file,
      '-coalesce',
      '-resize',
      size,
      '-colors',
      '128',
      '-layers',
      'Optimize',
      output,
    ];
  }
  const method = ['-define', 'webp:method=2'];
  if (g.format === 'webp') return [input.file, ...strip, '-quality', quality, ...method, output];
  if (g.format === 'png') return [input.file, ...strip, output];
  const resize = g.width ? ['-resize', size] : [];
  return [input.file, ...strip, ...resize, '-quality', String(g.quality ?? 90), output];
}

const f1 = (n: number | undefined) => (n === undefined ? 'n/a' : n.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a && b ? `${(a / b).toFixed(2)}×` : 'n/a';

/** Rounds of one side: the fastest time (least disturbed by other work) and the highest peak. */
function best<T extends Run>(runs: T[]): T {
  const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const peaks = runs.map((run) => run.rssMb).filter((mb) => mb !== undefined);
  return { ...fastest, rssMb: peaks.length ? Math.max(...peaks) : undefined };
}

async function round(input: Input, dir: string) {
  const cache = await mkdtemp(path.join(dir, 'cache-'));
  const g = await runChild<ChildReport>(SELF, ['genqueue', input.file, cache, '', '0']);
  const ext = g.format === 'jpeg' ? 'jpg' : (g.format ?? 'jpg');
  if (input.key === 'clean')
    return { g, floor: await runChild<ChildReport>(SELF, ['hash', input.file, '', '', '0']) };
  let magick: Run | undefined;
  if (HAVE_MAGICK) {
    const output = path.join(dir, `${input.key}.magick.${ext}`);
    magick = await runTool('convert', magickArgs(input, g, output), output).catch(
      (error: Error) => {
        process.stderr.write(`  ImageMagick on ${input.key}: ${error.message.split('\n')[0]}\n`);
        return undefined;
      },
    );
  }
  if (input.key === 'rotated' && HAVE_JPEGTRAN) {
    const output = path.join(dir, 'rotated.jpegtran.jpg');
    const args = ['-perfect', '-rotate', '90', '-copy', 'none', '-outfile', output, input.file];
    // -perfect refuses a size that is not whole blocks (BENCH_QUICK's): then sharp is the floor.
    const turned = await runTool('jpegtran', args, output).catch(() => undefined);
    if (turned) return { g, magick, floor: turned };
  }
  const format = g.format ?? 'jpeg';
  const floor = await runChild<ChildReport>(SELF, [
    'floor',
    input.file,
    '',
    format,
    String(g.quality ?? 90),
  ]);
  return { g, magick, floor };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gq-bench-preflight-'));
  try {
    process.stderr.write(`preflight bench${QUICK ? ' (quick)' : ''}: making inputs in ${dir}\n`);
    const inputs = await makeInputs(dir);
    const rows: string[][] = [];
    for (const input of inputs) {
      const rounds = [];
      for (let i = 0; i < RUNS; i += 1) rounds.push(await round(input, dir));
      const g = best(rounds.map((r) => r.g));
      const floor = best(rounds.map((r) => r.floor));
      const done = rounds.flatMap((r) => (r.magick ? [r.magick] : []));
      const magick = done.length ? best(done) : undefined;
      process.stderr.write(`  ${input.key}: ${g.summary}\n`);
      rows.push([
        input.label,
        `${g.format} ${f1(g.bytes / 1e6)} MB`,
        f1(g.ms / 1000),
        f1(g.rssMb),
        magick ? f1(magick.ms / 1000) : 'n/a',
        magick ? f1(magick.rssMb) : 'n/a',
        f1(floor.ms / 1000),
        f1(floor.rssMb),
        ratio(g.ms, magick?.ms),
        ratio(g.ms, floor.ms),
        ratio(g.rssMb, magick?.rssMb),
        ratio(g.rssMb, floor.rssMb),
      ]);
    }
    const head = [
      'input',
      'GenQueue output',
      'GQ s',
      'GQ MB',
      'IM s',
      'IM MB',
      'floor s',
      'floor MB',
      'GQ/IM time',
      'GQ/floor time',
      'GQ/IM RSS',
      'GQ/floor RSS',
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(
      `\nPreflight${QUICK ? ' (BENCH_QUICK)' : ''} — ${os.cpus().length} cores, ${RUNS} round(s), each run in a fresh process; time = fastest round, RSS = highest peak resident MB`,
    );
    console.log(line(head));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const row of rows) console.log(line(row));
    console.log(
      `\nfloor = sharp decode + one encode (same format and quality as GenQueue's output; HEIC through the same WASM decoder);` +
        ` for the clean JPEG the floor is a bare read + SHA-256 of the file;` +
        ` for the JPEG that only needs turning, ${HAVE_JPEGTRAN ? 'jpegtran -perfect (the same lossless turn in C)' : 'sharp (jpegtran not installed: apt-get install libjpeg-turbo-progs)'}.` +
        (HAVE_MAGICK
          ? ` ImageMagick: ${execFileSync('convert', ['-version'], { encoding: 'utf8' }).split('\n')[0]}, its own resource policy.`
          : ' ImageMagick not installed: its columns are n/a.'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode = '', input = '', out = '', format = '', quality = '0'] = process.argv;
  await child(mode, input, out, format, Number(quality));
} else {
  await main();
}
