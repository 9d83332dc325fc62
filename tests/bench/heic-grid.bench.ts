// HEIC grid benchmark (issue 16, point 11): a 200-megapixel grid HEIC of 768 tiles of 512 × 512,
// as Samsung phones take, built by tests/support/grid-heic.ts. GenQueue prepares it (its own header
// reader, because libvips refuses more than 256 items; the libheif WebAssembly worker; sharp's JPEG
// encode), against a baseline: sharp decoding a JPEG of the same size and picture (made here by
// sharp from the same decoded tile) plus one encode at the quality of GenQueue's output. The
// WebAssembly decode alone is timed too, to show where the time goes. Each run is a fresh child
// process reporting its own wall time and peak RSS. The test suite proves the same path on a small
// grid (tests/integration/preflight-heic-grid.integration.test.ts); this is the full size.
// Run: node tests/bench/heic-grid.bench.ts (BENCH_QUICK=1: a 21 MP grid of 272 thumbnail tiles;
// BENCH_RUNS=3: three interleaved rounds, each side's least time and highest peak RSS)
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { peakRssMb, runChild } from './child-process.ts';
import { decodeHeic } from '../../main/engine/preflight/decoders/heic.ts';
import { readJpegHeader } from '../../main/engine/preflight/decoders/jpeg-segments.ts';
import { encoder } from '../../main/engine/preflight/pipeline/encode.ts';
import { createMemoryGate } from '../../main/engine/preflight/pipeline/memory-budget.ts';
import { prepareImage } from '../../main/engine/preflight/prepare.ts';
import { writeGridHeic, type GridHeicOptions } from '../support/grid-heic.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const SELF = import.meta.filename;
/** The grid: 16320 × 12240 in 512 × 512 tiles (768), or for a smoke run 17 × 16 thumbnails. */
const GRID: GridHeicOptions = QUICK
  ? { width: 5440, height: 3840, tile: 'thumbnail' }
  : { width: 16320, height: 12240 };
/** Enough for the 200 MP grid (it needs about 2.0 GB), whatever this computer's own budget. */
const MEMORY_BUDGET = 3e9;

interface Run {
  ms: number;
  /** CPU time of the whole process (all threads) over the same span: less swayed by other load. */
  cpuMs: number;
  rssMb: number;
  bytes: number;
  quality?: number;
}

/** First calls pay for libvips start-up: not what is being measured. */
async function warmUp(): Promise<void> {
  const create = { width: 16, height: 16, channels: 3, background: '#888' } as const;
  await sharp({ create }).jpeg().toBuffer();
}

async function child(mode: string, input: string, out: string, quality: number): Promise<Run> {
  await warmUp();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const { user, system } = process.cpuUsage(cpu0);
    return (user + system) / 1000;
  };
  if (mode === 'genqueue') {
    const memory = createMemoryGate(MEMORY_BUDGET);
    const prepared = await prepareImage(input, { metadata: 'strip', cacheDir: out, memory });
    const ms = performance.now() - t0;
    if (prepared.format !== 'jpeg') throw new Error(`prepared as ${prepared.format}`);
    const head = await readFile(prepared.path);
    const quality = readJpegHeader(head).quality;
    return { ms, cpuMs: cpuMs(), rssMb: peakRssMb(), bytes: prepared.bytes, quality };
  }
  if (mode === 'decode') {
    const decoded = await decodeHeic(await readFile(input), 'bench.heic', undefined);
    const ms = performance.now() - t0;
    return { ms, cpuMs: cpuMs(), rssMb: peakRssMb(), bytes: decoded.tiff.length };
  }
  // The baseline: one decode of the same-size JPEG, one encode as GenQueue's output is encoded.
  const bytes = await encoder(sharp(input), 'jpeg', quality).toBuffer();
  return { ms: performance.now() - t0, cpuMs: cpuMs(), rssMb: peakRssMb(), bytes: bytes.length };
}

/**
 * The baseline's input: the grid's picture as a JPEG made by sharp — the decoded tile repeated
 * over the same size, at quality 95, as a camera would save it.
 */
async function sameSizeJpeg(dir: string, file: string): Promise<void> {
  const one = path.join(dir, 'one-tile.heic');
  const tile = GRID.tile ?? 'tile';
  // A grid of 1 × 1 pixels tells the tile's size; a grid of that size shows the tile whole.
  const { tileWidth: width, tileHeight: height } = await writeGridHeic(one, {
    width: 1,
    height: 1,
    tile,
  });
  await writeGridHeic(one, { width, height, tile });
  const decoded = await decodeHeic(await readFile(one), 'one-tile.heic', undefined);
  const picture = await sharp(decoded.tiff).png().toBuffer();
  const create = {
    width: GRID.width,
    height: GRID.height,
    channels: 3,
    background: '#000',
  } as const;
  await sharp({ create, limitInputPixels: false })
    .composite([{ input: picture, tile: true, gravity: 'northwest' }])
    .jpeg({ quality: 95 })
    .toFile(file);
}

/** Rounds of one side: the fastest time (least disturbed by other work) and the highest peak. */
function best(runs: Run[]): Run {
  const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const cpuMs = Math.min(...runs.map((run) => run.cpuMs));
  return { ...fastest, cpuMs, rssMb: Math.max(...runs.map((run) => run.rssMb)) };
}

const f1 = (n: number) => n.toFixed(1);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gq-bench-heic-grid-'));
  try {
    const heic = path.join(dir, 'grid.heic');
    const jpeg = path.join(dir, 'same-size.jpg');
    const grid = await writeGridHeic(heic, GRID);
    const mp = Math.round((grid.width * grid.height) / 1e6);
    const size = `${grid.width} × ${grid.height}`;
    let t0 = performance.now();
    await sameSizeJpeg(dir, jpeg);
    const jpegMb = (await stat(jpeg)).size / 1e6;
    process.stderr.write(
      `heic-grid bench${QUICK ? ' (quick)' : ''}: ${grid.tiles} tiles of ${grid.tileWidth} × ${grid.tileHeight} (${f1(grid.bytes / 1e3)} KB); same-size JPEG ${f1(jpegMb)} MB made in ${f1((performance.now() - t0) / 1000)} s\n`,
    );
    const rounds: { g: Run; decode: Run; floor: Run }[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      t0 = performance.now();
      const cache = await mkdtemp(path.join(dir, 'cache-'));
      const g = await runChild<Run>(SELF, ['genqueue', heic, cache, '0']);
      const decode = await runChild<Run>(SELF, ['decode', heic, '', '0']);
      const floor = await runChild<Run>(SELF, ['floor', jpeg, '', String(g.quality ?? 90)]);
      await rm(cache, { recursive: true, force: true });
      rounds.push({ g, decode, floor });
      process.stderr.write(`  round ${i + 1} in ${f1((performance.now() - t0) / 1000)} s\n`);
    }
    const g = best(rounds.map((r) => r.g));
    const decode = best(rounds.map((r) => r.decode));
    const floor = best(rounds.map((r) => r.floor));
    const row = (label: string, run: Run) => [
      label,
      f1(run.ms / 1000),
      f1(run.cpuMs / 1000),
      f1(run.rssMb),
      ratio(run.ms, floor.ms),
      ratio(run.cpuMs, floor.cpuMs),
      ratio(run.rssMb, floor.rssMb),
    ];
    const rows = [
      row(`GenQueue: ${mp} MP grid HEIC → JPEG q${g.quality ?? '?'}`, g),
      row('  the WebAssembly decode alone', decode),
      row(`baseline: sharp, ${mp} MP JPEG → JPEG`, floor),
    ];
    const head = ['run', 'wall s', 'CPU s', 'peak MB', 'wall ×', 'CPU ×', 'RSS ×'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    console.log(
      `\nHEIC grid${QUICK ? ' (BENCH_QUICK)' : ''} — ${size}, ${grid.tiles} tiles; ${os.cpus().length} cores, ${RUNS} round(s), each run in a fresh process; wall and CPU = least of the rounds, RSS = highest peak resident MB; × = against the baseline`,
    );
    console.log(line(head));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const row of rows) console.log(line(row));
    console.log(
      `\nbaseline = sharp decoding a ${f1(jpegMb)} MB JPEG of the same size and picture (made by sharp at q95) and encoding it once at GenQueue's output quality.` +
        ` The decode row is decodeHeic alone (the libheif worker, pixels back as a TIFF), a part of GenQueue's time run on its own. CPU counts every thread of the process.`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode = '', input = '', out = '', quality = '0'] = process.argv;
  process.stdout.write(`${JSON.stringify(await child(mode, input, out, Number(quality)))}\n`);
} else {
  await main();
}
