// Result placement benchmark (issue 11): what reserving a name (a SQLite row) and taking it on
// disk exclusively (sidecar and image each written once, then linked) costs per result, against a
// bare script that writes the same image and sidecar with writeFile + rename and checks nothing.
// Two folder shapes: every result with its own name, and every result of the same name (a camera's
// IMG_0001 from many folders), where each new one must step past the names already taken.
// Run: node tests/bench/results.bench.ts   (BENCH_QUICK=1 for a smaller smoke run)
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { checkResultImage } from '../../main/engine/apimart/download.ts';
import { writeNew } from '../../main/engine/results/exclusive-files.ts';
import { placeResults } from '../../main/engine/results/place-results.ts';
import { sidecarText, type Sidecar } from '../../main/engine/results/sidecar.ts';
import { openDatabase } from '../../main/engine/store/database.ts';
import { createResultFiles } from '../../main/engine/store/result-files.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const RESULTS = QUICK ? 200 : 1000;

const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: 'teal' } })
  .png()
  .toBuffer();

function sidecar(job: string, index: number): Sidecar {
  return {
    generator: 'GenQueue',
    version: 'bench',
    job,
    source: `/photos/${job}.jpg`,
    sourceSha256: null,
    taskId: `task_${job}`,
    index,
    model: 'm',
    prompt: 'bench',
    recipe: { model: 'm', prompt: 'bench' },
    simulated: true,
    preflight: null,
    timings: {},
    createdAt: new Date(0).toISOString(),
  };
}

/** GenQueue: each result placed as a job would place it (checked, reserved, linked). */
async function genqueue(dir: string, sameName: boolean): Promise<number> {
  const db = openDatabase(join(dir, 'bench.db'));
  const files = createResultFiles(db);
  const out = join(dir, 'out');
  const started = performance.now();
  for (let i = 0; i < RESULTS; i++) {
    const job = `j${i}`;
    await placeResults(job, `task_${job}`, [{ url: 'https://results.invalid/1' }], {
      files,
      dir: out,
      async download(_url, part) {
        await writeNew(part, png);
        return checkResultImage(part);
      },
      nameFor: (index, ext) => `${sameName ? 'IMG_0001' : job}-m-${index}.${ext}`,
      sidecarFor: (index) => sidecar(job, index),
      signal: new AbortController().signal,
    });
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}

/**
 * The baseline: write the image and its sidecar to temp names, check the image the same way, and
 * rename both into place, over whatever is there.
 */
async function bare(dir: string, sameName: boolean): Promise<number> {
  const out = join(dir, 'out');
  const started = performance.now();
  for (let i = 0; i < RESULTS; i++) {
    const name = join(out, `${sameName ? `IMG_0001 (${i})` : `j${i}`}-m-1.png`);
    await writeFile(`${name}.tmp`, png);
    await checkResultImage(`${name}.tmp`);
    await rename(`${name}.tmp`, name);
    await writeFile(`${name}.json.tmp`, sidecarText(sidecar(`j${i}`, 1)));
    await rename(`${name}.json.tmp`, `${name}.json`);
  }
  return performance.now() - started;
}

async function measure(run: (dir: string, sameName: boolean) => Promise<number>, same: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'genqueue-bench-results-'));
  await mkdir(join(dir, 'out'));
  try {
    return await run(dir, same);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`${RESULTS} results of 64×48 PNG, one at a time, into one folder`);
for (const same of [false, true]) {
  await measure(genqueue, same); // warm-up: statements prepared, code compiled
  const ours = await measure(genqueue, same);
  const base = await measure(bare, same);
  const shape = same ? 'all named IMG_0001' : 'each its own name';
  console.log(
    `  ${shape.padEnd(20)} GenQueue ${(ours / RESULTS).toFixed(2)} ms/result · ` +
      `writeFile+rename ${(base / RESULTS).toFixed(2)} ms/result · GQ/baseline ${(ours / base).toFixed(2)}×`,
  );
}
