// Spending caps against the simulator, exact to the cent: a known price lets exactly as many tasks
// through as the cap pays for; an unknown one gets one task alone, then GenQueue goes on with the
// price it learned; raising the cap releases the held jobs; a balance that cannot pay holds the
// queue before any 402. Real engine, real SQLite, the simulator charging as APIMart would.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { startTestEngine, tempDir, type TestEngine } from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { chargedMicros, micros } from '../support/money.ts';
import { until } from '../support/until.ts';

const MODEL = 'gemini-3-pro-image-preview';

async function counts(gq: TestEngine): Promise<Record<string, number>> {
  return (await gq.call('queue.stats', {})).counts;
}

/** Waits until every job is done or held at a cap, and nothing is under way. */
async function settled(gq: TestEngine, ids: string[]): Promise<void> {
  await until(
    async () => {
      const jobs = await gq.call('jobs.get', { ids });
      return jobs.every(
        (job) => job.stage === 'done' || (job.held && job.capHold?.scope !== 'price'),
      );
    },
    'every job done or held at a cap',
    30_000,
    async () => JSON.stringify(await counts(gq)),
  );
}

test('a known price: a $0.20 cap for this run lets exactly 10 tasks at $0.02 through and holds the other 5', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { pricing: { perImageUsd: 0.02 } },
    settings: { prices: [{ model: MODEL, usd: 0.02 }] },
    engine: { maxSpendUsd: 0.2 },
  });
  const dir = await tempDir(t);
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 15),
    recipe: { prompt: 'cap', outDir: dir },
  });
  await settled(gq, jobIds);
  const jobs = await gq.call('jobs.get', { ids: jobIds });
  const held = jobs.filter((job) => job.held);
  assert.equal(jobs.filter((job) => job.stage === 'done').length, 10);
  assert.equal(held.length, 5);
  assert.equal(gq.simulator.stats().tasks.length, 10, 'no task was created past the cap');
  assert.equal(await chargedMicros(gq.simulator), micros(0.2), 'charged exactly $0.20');
  assert.match(
    held[0]?.capHold?.reason ?? '',
    /^Held at this run's \$0\.20 cap: \$0\.20 is spent or under way, and this image costs ≈ \$0\.02\. Raise the cap to release it\.$/,
  );
  assert.equal(held[0]?.stage, 'submitting', 'held, not failed');
  const report = await gq.call('spend.report', {});
  assert.equal(micros(report.totalUsd), micros(0.2));
  assert.equal(report.tasks, 10);
  assert.ok(jobs.filter((job) => job.stage === 'done').every((job) => job.cost === 0.02));
  const sidecar = jobs.find((job) => job.stage === 'done')?.results[0]?.sidecar ?? '';
  const written = JSON.parse(await readFile(sidecar, 'utf8')) as { cost?: { usd: number } };
  assert.deepEqual(written.cost, { usd: 0.02 }, "the job's cost is in its sidecar");
});

test('an unknown price: one task alone first, then as many as the learned price allows under the cap', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { pricing: { perImageUsd: 0.03 }, taskDurationMs: 300 },
    engine: { maxSpendUsd: 0.2 },
  });
  const dir = await tempDir(t);
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 10),
    recipe: { prompt: 'probe', outDir: dir },
  });
  await settled(gq, jobIds);
  const tasks = gq.simulator.stats().tasks.sort((a, b) => a.at - b.at);
  assert.equal(tasks.length, 6, '$0.03 × 6 = $0.18; a seventh would pass $0.20');
  assert.ok(tasks[1]!.at - tasks[0]!.at >= 300, 'the first task went alone, until it finished');
  assert.equal(await chargedMicros(gq.simulator), micros(0.18));
  const report = await gq.call('spend.report', {});
  assert.equal(micros(report.totalUsd), micros(0.18));
  assert.deepEqual(
    report.prices.map((price) => [price.model, price.usd, price.source]),
    [[MODEL, 0.03, "APIMart's reported cost"]],
  );
  const held = (await gq.call('jobs.get', { ids: jobIds })).filter((job) => job.held);
  assert.equal(held.length, 4);
});

test('raising the cap releases the held jobs; lowering it again holds the rest', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { pricing: { perImageUsd: 0.02 } },
    settings: { prices: [{ model: MODEL, usd: 0.02 }], spendCapPerDay: 0.1 },
  });
  const dir = await tempDir(t);
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 12),
    recipe: { prompt: 'raise', outDir: dir },
  });
  await settled(gq, jobIds);
  assert.equal((await counts(gq)).done, 5);
  const first = (await gq.call('jobs.get', { ids: jobIds })).find((job) => job.held);
  assert.match(first?.capHold?.reason ?? '', /today's \$0\.10 cap/);

  await gq.call('settings.update', { spendCapPerDay: 0.2 });
  await until(async () => (await counts(gq)).done === 10, '10 done under the raised cap');
  await settled(gq, jobIds);
  assert.equal(gq.simulator.stats().tasks.length, 10);
  assert.equal(await chargedMicros(gq.simulator), micros(0.2));

  await gq.call('settings.update', { spendCapPerDay: null });
  await until(async () => (await counts(gq)).done === 12, 'all done without a cap');
});

test('a balance that cannot pay for the next image holds the queue as balance, before any 402', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { pricing: { perImageUsd: 0.02 }, balance: { remaining: 0.05, used: 0 } },
    settings: { prices: [{ model: MODEL, usd: 0.02 }] },
  });
  const dir = await tempDir(t);
  await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 5),
    recipe: { prompt: 'broke', outDir: dir },
  });
  await until(
    async () => (await gq.call('queue.stats', {})).paused === 'balance',
    'the balance pause',
  );
  const stats = await gq.call('queue.stats', {});
  assert.match(
    stats.pauseMessage ?? '',
    /cannot pay for the next image \(≈ \$0\.02\): GenQueue paused before asking for it\. Top up, then resume\.$/,
  );
  await until(async () => (await counts(gq)).done === 2, 'the two it could pay for');
  const sim = gq.simulator.stats();
  assert.equal(sim.tasks.length, 2);
  assert.equal(sim.requests.filter((r) => r.status === 402).length, 0, 'no 402 was collected');
  const failed = (await gq.call('jobs.list', { filter: 'failed' })).total;
  assert.equal(failed, 0, 'nothing failed: the jobs wait');
});

test('the estimate before a batch equals what the batch then costs', async (t) => {
  const gq = await startTestEngine(t, { simulator: { pricing: { perImageUsd: 0.03 } } });
  const dir = await tempDir(t);
  const first = await makeImages(dir, 1, { prefix: 'first' });
  const unknown = await gq.call('spend.estimate', { paths: first, recipe: { prompt: 'x' } });
  assert.equal(unknown.text, 'price known after the first image');
  assert.equal(unknown.usd, null);
  await gq.call('jobs.enqueue', { paths: first, recipe: { prompt: 'x', outDir: dir } });
  await until(async () => (await counts(gq)).done === 1, 'the first image');

  const batch = await makeImages(dir, 7, { prefix: 'batch' });
  const estimate = await gq.call('spend.estimate', { paths: batch, recipe: { prompt: 'x' } });
  assert.equal(estimate.text, '≈ $0.21 for 7 images');
  const before = (await gq.call('spend.report', {})).totalUsd;
  const charged = await chargedMicros(gq.simulator);
  await gq.call('jobs.enqueue', { paths: batch, recipe: { prompt: 'x', outDir: dir } });
  await until(async () => (await counts(gq)).done === 8, 'the batch');
  const after = (await gq.call('spend.report', {})).totalUsd;
  assert.equal(micros(after - before), micros(estimate.usd!));
  assert.equal((await chargedMicros(gq.simulator)) - charged, micros(estimate.usd!));
});

test('a task that does not report its cost: its price is learned from the balance before and after it', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { pricing: { perImageUsd: 0.03, reportCost: false }, taskDurationMs: 300 },
    engine: { maxSpendUsd: 0.2 },
  });
  const dir = await tempDir(t);
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 8),
    recipe: { prompt: 'delta', outDir: dir },
  });
  await settled(gq, jobIds);
  assert.equal(gq.simulator.stats().tasks.length, 6);
  assert.equal(await chargedMicros(gq.simulator), micros(0.18));
  const report = await gq.call('spend.report', {});
  assert.deepEqual(
    report.prices.map((price) => [price.usd, price.source]),
    [[0.03, 'the balance before and after one task']],
  );
  assert.equal(
    micros(report.totalUsd),
    micros(0.18),
    'the first from the balance, the rest at the learned price',
  );
  assert.ok(report.balanceHistory.length >= 2, 'the balance readings are kept');
});

test("a watched folder's own daily cap holds its images; raising it in the folder's settings releases them", async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { pricing: { perImageUsd: 0.02 } },
    settings: { prices: [{ model: MODEL, usd: 0.02 }] },
  });
  const folder = await tempDir(t);
  await makeImages(folder, 5);
  const out = await tempDir(t);
  const view = await gq.call('watch.add', {
    path: folder,
    outDir: out,
    recipe: { prompt: 'folder cap' },
    maxSpendPerDay: 0.04,
    stableMs: 100,
  });
  const jobsOfFolder = async () => gq.call('watch.recent', { id: view.id });
  await until(async () => {
    const jobs = await jobsOfFolder();
    return (
      jobs.length === 5 &&
      jobs.filter((job) => job.stage === 'done').length === 2 &&
      jobs.filter((job) => job.held).length === 3
    );
  }, 'two done and three held at the folder cap');
  const held = (await jobsOfFolder()).find((job) => job.held);
  assert.match(held?.capHold?.reason ?? '', /^Held at this folder's \$0\.04 daily cap/);
  assert.equal(await chargedMicros(gq.simulator), micros(0.04));

  await gq.call('watch.update', { id: view.id, maxSpendPerDay: 0.1 });
  await until(
    async () => (await jobsOfFolder()).every((job) => job.stage === 'done'),
    'all five done once the folder cap is raised',
  );
  const report = await gq.call('spend.report', {});
  assert.deepEqual(
    report.byFolder.map((line) => [line.label, line.tasks, micros(line.usd)]),
    [[folder, 5, micros(0.1)]],
  );
});
