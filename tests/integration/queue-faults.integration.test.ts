// The queue against a misbehaving APIMart: rate limits, server errors, resets and stalls; the
// network going away; a bad key; an empty balance. Real engine, real SQLite, simulator over HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  enqueue,
  stagesOf,
  startTestEngine,
  tempDir,
  type TestEngine,
} from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { until } from '../support/until.ts';
import { attemptBudget } from '../../main/engine/queue/backoff.ts';

async function stageCounts(gq: TestEngine): Promise<Record<string, number>> {
  return (await gq.call('queue.stats', {})).counts;
}

test('fault soak: 200 jobs with lost create answers, resets, 429s, 5xx and an offline window all finish: no decision asked, nothing paid twice', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { taskDurationMs: 100 },
    settings: { concurrency: { prepare: 2, upload: 8, running: 64, download: 8 } },
    engine: {
      timing: {
        minPollMs: 30,
        backoff: { baseMs: 20, capMs: 300 },
        http: { connectMs: 1000, headersMs: 1000, bodyMs: 1000 },
        probeDelayMs: 100,
      },
    },
  });
  const dir = await tempDir(t);
  const paths = await makeImages(dir, 200);
  const faults = {
    rateLimit: { retryAfterSeconds: 1, rate: 0.03 },
    serverErrorRate: 0.15,
    resetRate: 0.08,
    stallRate: 0.04,
    lostAnswerRate: 0.2,
    seed: 7,
  };
  gq.simulator.setFaults(faults);
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths,
    recipe: { prompt: 'soak', outDir: dir },
  });
  assert.equal(jobIds.length, 200);

  // An offline window mid-run: APIMart unreachable until the queue has noticed, then back.
  await until(async () => ((await stageCounts(gq)).done ?? 0) >= 40, '40 jobs done');
  gq.simulator.setFaults({ offline: true });
  await until(
    async () => (await gq.call('queue.stats', {})).paused === 'offline',
    'the offline pause',
  );
  gq.simulator.setFaults({ offline: false });

  await until(
    async () => {
      const c = await stageCounts(gq);
      return (c.done ?? 0) + (c.ambiguous ?? 0) + (c.failed ?? 0) === 200;
    },
    'every job to settle',
    180_000,
  );
  const stats = gq.simulator.stats();
  const counts = await stageCounts(gq);
  const failed = (await gq.call('jobs.list', { filter: 'failed', limit: 10 })).jobs;
  assert.deepEqual(
    failed.map((job) => job.error?.message),
    [],
    'no job failed',
  );
  assert.deepEqual(counts, { done: 200 }, 'every job done, none waiting for a decision');
  assert.equal(stats.duplicateSubmissions, 0, 'no task made twice');
  assert.equal(stats.tasks.length, 200, 'one task per job');
  const creates = stats.creates;
  assert.ok(
    creates.length > 0 && creates.every((c) => c.key !== null),
    'every create carried a key',
  );
  const lost = creates.filter((c) => c.outcome === 'lost').length;
  assert.ok(lost >= 0.15 * 200, `at least 15 % of creates lost their answer (${lost})`);
  const replays = creates.filter((c) => c.outcome === 'replayed').length;
  const lostKeys = new Set(creates.filter((c) => c.outcome === 'lost').map((c) => c.key));
  const replayedKeys = new Set(creates.filter((c) => c.outcome === 'replayed').map((c) => c.key));
  assert.deepEqual(
    [...lostKeys].filter((key) => !replayedKeys.has(key)),
    [],
    'every lost answer was settled by a replay of its key',
  );
  assert.ok(
    stats.requests.some((r) => r.status === 429) && stats.requests.some((r) => r.status >= 500),
  );
  t.diagnostic(
    `creates ${creates.length}, answers lost ${lost}, replays ${replays}, decisions 0, duplicates ${stats.duplicateSubmissions}`,
  );
});

test('offline through six failed probes mid-run: the queue pauses as offline, spends no attempts, and resumes by itself', async (t) => {
  const gq = await startTestEngine(t, { simulator: { taskDurationMs: 300 } });
  const dir = await tempDir(t);
  const { jobIds } = await enqueue(gq, await makeImages(dir, 8), dir);
  await until(async () => ((await stageCounts(gq)).done ?? 0) >= 1, 'the first result');
  let failedProbes = 0;
  const unsubscribe = gq.engine.subscribe((event) => {
    if (event.name === 'net.status' && event.payload.state === 'offline') failedProbes++;
  });
  t.after(unsubscribe);
  gq.simulator.setFaults({ offline: true });
  await until(
    async () => (await gq.call('queue.stats', {})).paused === 'offline',
    'the offline pause',
  );
  // The outage is observed, not slept through: six probes failing one after another (with their
  // backoff, over 12 s of outage) while the jobs wait.
  await until(
    () => failedProbes >= 6,
    'six failed probes',
    60_000,
    () => `${failedProbes}`,
  );
  const during = await gq.call('jobs.get', { ids: jobIds });
  assert.equal((await gq.call('queue.stats', {})).paused, 'offline', 'still offline');
  assert.ok(
    during.every((job) => job.attempts === 0),
    'no attempt was spent while offline',
  );
  assert.ok(during.every((job) => job.stage !== 'failed'));
  assert.ok(
    during.some((job) => job.stage !== 'done'),
    'the outage caught jobs mid-run',
  );
  gq.simulator.setFaults({ offline: false });
  await until(
    async () => (await stageCounts(gq)).done === 8,
    'all done after the network came back',
  );
  assert.equal((await gq.call('queue.stats', {})).paused, null);
  assert.ok((await gq.call('jobs.get', { ids: jobIds })).every((job) => job.attempts === 0));
});

test('auth: a refused key pauses the queue with jobs kept; a good key resumes it', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { taskDurationMs: 100, apiKey: 'sk-test-0001' },
  });
  const dir = await tempDir(t);
  gq.simulator.setFaults({ auth: true });
  await enqueue(gq, await makeImages(dir, 3), dir);
  await until(async () => (await gq.call('queue.stats', {})).paused === 'auth', 'the auth pause');
  const counts = await stageCounts(gq);
  assert.equal(counts.failed ?? 0, 0, 'no job failed because of the key');
  gq.simulator.setFaults({ auth: false });
  await gq.call('key.set', { key: gq.simulator.apiKey });
  await until(async () => (await stageCounts(gq)).done === 3, 'all done with a good key');
});

test('a refusal of the old key that arrives after a new key was set does not pause the queue', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { taskDurationMs: 100, apiKey: 'sk-test-0002' },
  });
  await gq.call('key.set', { key: 'sk-revoked' });
  const dir = await tempDir(t);
  gq.simulator.setFaults({ latencyMs: 1000 });
  await enqueue(gq, await makeImages(dir, 1), dir);
  // The upload leaves with the revoked key and is answered a second later, after the new key.
  const sent = () =>
    gq.simulator
      .stats()
      .arrivals.some((r) => r.path === '/v1/uploads/images' && r.method === 'POST');
  await until(sent, 'the upload to reach the server with the revoked key');
  await gq.call('key.set', { key: gq.simulator.apiKey });
  gq.simulator.setFaults({ latencyMs: 0 });
  await until(async () => (await stageCounts(gq)).done === 1, 'the job done with the new key');
  assert.equal((await gq.call('queue.stats', {})).paused, null);
  assert.ok(
    gq.simulator.stats().requests.some((r) => r.status === 401),
    'the old key was refused',
  );
});

test('balance: an empty account pauses the queue as balance; resuming after a top-up finishes the jobs', async (t) => {
  const gq = await startTestEngine(t, { simulator: { taskDurationMs: 100 } });
  const dir = await tempDir(t);
  gq.simulator.setFaults({ balance: true });
  await enqueue(gq, await makeImages(dir, 3), dir);
  await until(
    async () => (await gq.call('queue.stats', {})).paused === 'balance',
    'the balance pause',
  );
  const stats = await gq.call('queue.stats', {});
  assert.match(stats.pauseMessage ?? '', /balance/i);
  assert.equal(stats.counts.failed ?? 0, 0);
  gq.simulator.setFaults({ balance: false });
  await gq.call('queue.resume', {});
  await until(async () => (await stageCounts(gq)).done === 3, 'all done after the top-up');
});

test("server errors are waited out for the step's window, one request per attempt, then the job fails saying so", async (t) => {
  const gq = await startTestEngine(t, {
    engine: { timing: { backoff: { baseMs: 50, capMs: 300, serverWindowMs: 1500 } } },
  });
  const dir = await tempDir(t);
  gq.simulator.setFaults({ serverErrorRate: 1 });
  const { jobIds } = await enqueue(gq, await makeImages(dir, 1), dir);
  await until(
    async () => (await stagesOf(gq, jobIds))[0] === 'failed',
    'the failure',
    30_000,
    async () =>
      JSON.stringify({
        job: await gq.call('jobs.get', { ids: jobIds }),
        queue: await gq.call('queue.stats', {}),
        requests: gq.simulator.stats().requests,
      }),
  );
  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(job?.error?.code, 'server');
  assert.match(job.error.message, /kept answering with server errors for 2 seconds \(\d+ tries\)/);
  const uploads = gq.simulator.stats().requests.filter((r) => r.path === '/v1/uploads/images');
  assert.ok(uploads.length > 1, 'it was tried again within the window');
  assert.equal(uploads.length, job.attempts, 'one request per attempt, then it stopped');
});

test('task replies that make no sense fail the job after their budget; Retry asks about the same task again and pays once', async (t) => {
  const gq = await startTestEngine(t, { simulator: { taskDurationMs: 100 } });
  const dir = await tempDir(t);
  const [path] = await makeImages(dir, 1);
  gq.simulator.setFaults({ taskGarble: 'no-images' });
  const { jobIds } = await enqueue(gq, [path!], dir);
  await until(async () => (await stagesOf(gq, jobIds))[0] === 'failed', 'the job to fail');
  const [failed] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(failed?.error?.code, 'bad_response');
  assert.match(failed.error.message, /says completed but lists no image/);
  assert.match(
    failed.error.message,
    new RegExp(`asked about task ${failed.taskId} ${attemptBudget('bad_response')} times`),
  );

  gq.simulator.setFaults({ taskGarble: null });
  await gq.call('jobs.retry', { ids: jobIds });
  await until(async () => (await stagesOf(gq, jobIds))[0] === 'done', 'the job done after Retry');
  const [done] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(done?.taskId, failed.taskId, 'the same task, asked again');
  const creates = gq.simulator.stats().requests.filter((r) => r.path === '/v1/images/generations');
  assert.equal(creates.length, 1, 'one paid submission');
});

test('a task status GenQueue does not know is taken as unfinished: polled on, done once it is known', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { taskDurationMs: 100 },
    engine: { timing: { minPollMs: 20 } },
  });
  const dir = await tempDir(t);
  const [path] = await makeImages(dir, 1);
  gq.simulator.setFaults({ taskGarble: 'unknown-status' });
  const { jobIds } = await enqueue(gq, [path!], dir);
  const polls = (): number =>
    gq.simulator.stats().requests.filter((r) => r.path.startsWith('/v1/tasks/')).length;
  await until(async () => polls() >= 6, 'six polls answered "warming_up"');
  const [running] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(running?.stage, 'running', 'no failure, no error');
  assert.equal(running.error, undefined);
  gq.simulator.setFaults({ taskGarble: null });
  await until(async () => (await stagesOf(gq, jobIds))[0] === 'done', 'the job done');
});

test('a task APIMart never finishes fails once the deadline passes, saying so; Retry asks about the same task again', async (t) => {
  const gq = await startTestEngine(t, {
    simulator: { taskDurationMs: 10 * 60_000 },
    engine: { timing: { taskDeadlineMs: 2000 } },
  });
  const dir = await tempDir(t);
  const { jobIds } = await enqueue(gq, await makeImages(dir, 1), dir);
  await until(
    async () => (await stagesOf(gq, jobIds))[0] === 'failed',
    'the overdue task to fail the job',
  );
  const [failed] = await gq.call('jobs.get', { ids: jobIds });
  assert.match(
    failed?.error?.message ?? '',
    new RegExp(
      `^APIMart has been working on task ${failed?.taskId} for over 2 seconds without finishing\\. GenQueue stopped asking; Retry asks again, without paying for a new image\\.$`,
    ),
  );
  const polls = () =>
    gq.simulator.stats().requests.filter((r) => r.path === `/v1/tasks/${failed?.taskId}`).length;
  const pollsBefore = polls();
  await gq.call('jobs.retry', { ids: jobIds });
  const [again] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(again?.stage, 'running', 'asked about again, not resubmitted');
  assert.equal(again.taskId, failed?.taskId);
  await until(() => polls() > pollsBefore, 'the same task polled again');
  const creates = gq.simulator.stats().requests.filter((r) => r.path === '/v1/images/generations');
  assert.equal(creates.length, 1, 'one paid submission');
});
