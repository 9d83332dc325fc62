// Queue benchmark (issue 5). (1) Enqueue 10,000 jobs and the median cost of one state transition
// at 10,000 jobs, against a store that rewrites one JSON file per change (what a JSON settings store
// would do), measured in the same run. (2) 1,000 tiny images through the whole pipeline against a
// zero-latency simulator: jobs per second, against a bare script making the same HTTP calls with no
// queue. Engine RSS with 10,000 jobs queued.
// Run: node tests/bench/queue.bench.ts   (BENCH_QUICK=1 for a smaller smoke run)
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SETTINGS } from '../../main/contract/schemas.ts';
import { createApimartClient, generationRequest } from '../../main/engine/apimart/client.ts';
import { createEngine } from '../../main/engine/engine.ts';
import { memorySecrets, memorySettings } from '../../main/engine/host/ports.ts';
import { openDatabase } from '../../main/engine/store/database.ts';
import { createJobsStore } from '../../main/engine/store/jobs-store.ts';
import { startSimulator } from '../../main/simulator/simulator.ts';
import { makeImages } from '../support/images.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const QUEUE = QUICK ? 2000 : 10_000;
const PIPELINE = QUICK ? 200 : 1000;
const JSON_SAMPLES = QUICK ? 20 : 50;
const recipe = { model: 'gemini-3-pro-image-preview', prompt: 'bench' };

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function storeFigures(dir: string) {
  const db = openDatabase(join(dir, 'bench.db'));
  const store = createJobsStore(db);
  const jobs = Array.from({ length: QUEUE }, (_, i) => ({
    source: `/photos/${i}.jpg`,
    recipe,
    simulated: false,
  }));
  const t0 = performance.now();
  const ids = store.enqueue(jobs);
  const enqueueMs = performance.now() - t0;
  // A running queue's transitions are warm (statements prepared, code compiled): warm up first.
  for (const id of ids.slice(0, 1000)) store.transition(id, 'preparing');
  const sqliteUs: number[] = [];
  for (const id of ids.slice(1000, 2000)) {
    const start = performance.now();
    store.transition(id, 'preparing');
    sqliteUs.push((performance.now() - start) * 1000);
  }
  db.close();

  // The baseline: the whole queue as one JSON document, rewritten atomically on every change.
  const file = join(dir, 'queue.json');
  const state = jobs.map((job, i) => ({ id: ids[i], ...job, stage: 'queued', updatedAt: 0 }));
  await writeFile(file, JSON.stringify(state));
  const jsonUs: number[] = [];
  for (let i = 0; i < JSON_SAMPLES; i++) {
    const start = performance.now();
    const doc = JSON.parse(await readFile(file, 'utf8')) as typeof state;
    doc[i]!.stage = 'preparing';
    doc[i]!.updatedAt = Date.now();
    await writeFile(`${file}.tmp`, JSON.stringify(doc));
    await rename(`${file}.tmp`, file);
    jsonUs.push((performance.now() - start) * 1000);
  }
  return { enqueueMs, sqliteUs: median(sqliteUs), jsonUs: median(jsonUs) };
}

async function pipelineFigures(dir: string) {
  const images = await makeImages(dir, PIPELINE, { size: 16 });
  const outDir = join(dir, 'out');

  // Baseline: the same calls (upload, create, poll until done, download), no queue, 8 at a time.
  const bare = await startSimulator({ taskDurationMs: 0, resultSize: 32 });
  const client = createApimartClient({ baseUrl: bare.url, apiKey: () => bare.apiKey });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < images.length) {
        const i = next++;
        const up = await client.upload(
          { path: images[i]!, filename: `${i}.png`, contentType: 'image/png' },
          {},
        );
        const { taskId } = await client.createTask(
          { key: randomUUID(), body: generationRequest(recipe, [up.url]) },
          {},
        );
        let state = await client.getTask(taskId, {});
        while (state.status !== 'completed') state = await client.getTask(taskId, {});
        await client.download(state.images[0]!.url, join(dir, `bare-${i}.png`), {});
      }
    }),
  );
  const bareS = (performance.now() - t0) / 1000;
  await client.close();
  await bare.close();

  const simulator = await startSimulator({ taskDurationMs: 0, resultSize: 32 });
  const engine = await createEngine({
    home: join(dir, 'home'),
    version: 'bench',
    command: 'bench',
    settings: memorySettings({
      ...DEFAULT_SETTINGS,
      concurrency: { prepare: 2, upload: 8, running: 256, download: 8 },
    }),
    secrets: memorySecrets(simulator.apiKey),
    baseUrl: simulator.url,
    timing: { minPollMs: 1 },
  });
  await engine.start();
  const t1 = performance.now();
  const queued = await engine.handlers['jobs.enqueue']({
    paths: images,
    recipe: { ...recipe, outDir },
  });
  await engine.settled();
  const engineS = (performance.now() - t1) / 1000;
  const done = (await engine.handlers['queue.stats']({})).counts.done ?? 0;
  await engine.stop();
  await simulator.close();
  if (done !== queued.jobIds.length)
    throw new Error(`only ${done} of ${queued.jobIds.length} jobs finished`);
  return { bareS, engineS };
}

async function rssWithQueue(dir: string): Promise<number> {
  const engine = await createEngine({
    home: join(dir, 'rss-home'),
    version: 'bench',
    command: 'bench',
    settings: memorySettings(),
    secrets: memorySecrets(undefined),
  });
  const before = process.memoryUsage().rss;
  await engine.handlers['jobs.enqueue']({
    paths: Array.from({ length: QUEUE }, (_, i) => `/none/${i}.jpg`),
    recipe,
    force: true,
  });
  const after = process.memoryUsage().rss;
  await engine.stop();
  return after - before;
}

const dir = await mkdtemp(join(tmpdir(), 'genqueue-bench-queue-'));
try {
  const store = await storeFigures(dir);
  const pipeline = await pipelineFigures(dir);
  const rss = await rssWithQueue(dir);
  const rows = [
    ['figure', 'GenQueue', 'baseline', 'ratio', 'goal'],
    [`enqueue ${QUEUE} jobs`, `${store.enqueueMs.toFixed(0)} ms`, '—', '—', '≤ 1000 ms'],
    [
      `one transition at ${QUEUE} jobs (median)`,
      `${store.sqliteUs.toFixed(1)} µs`,
      `${store.jsonUs.toFixed(0)} µs (JSON rewrite)`,
      `${(store.sqliteUs / store.jsonUs).toFixed(4)}×`,
      '≤ 50 µs',
    ],
    [
      `${PIPELINE} images end to end`,
      `${(PIPELINE / pipeline.engineS).toFixed(0)} jobs/s`,
      `${(PIPELINE / pipeline.bareS).toFixed(0)} jobs/s (bare script)`,
      `${(pipeline.engineS / pipeline.bareS).toFixed(2)}× time`,
      '≥ 100 jobs/s, ≤ 1.5×',
    ],
    [`RSS growth, ${QUEUE} jobs queued`, mb(rss), '—', '—', 'small'],
  ];
  for (const row of rows)
    console.log(row.map((cell, i) => cell.padEnd(i === 0 ? 36 : 28)).join(''));
} finally {
  await rm(dir, { recursive: true, force: true });
}
