// Issue 13's promise through the real engine and the simulator over HTTP: every generation request
// carries an Idempotency-Key; an answer that was lost is sent again byte for byte under the same
// key and APIMart's replay adopted, so no job waits for a person and none is paid twice; each of
// APIMart's idempotency answers (409s, 503) and a synchronous result take their documented path.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createApimartClient, generationRequest } from '../../main/engine/apimart/client.ts';
import type { EngineFailure } from '../../main/contract/errors.ts';
import {
  enqueue,
  stagesOf,
  startTestEngine,
  tempDir,
  type TestEngine,
} from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { until } from '../support/until.ts';

const GENERATIONS = '/v1/images/generations';

async function settledJobs(gq: TestEngine, ids: string[], label: string): Promise<void> {
  await until(
    async () =>
      (await stagesOf(gq, ids)).every((s) => s === 'done' || s === 'ambiguous' || s === 'failed'),
    label,
  );
}

test('a lost answer is sent again with the same key and the same bytes; APIMart replays the task, and the job says so', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const [path] = await makeImages(dir, 1);
  gq.simulator.setFaults({ lostAnswerRate: 1 });
  const { jobIds } = await enqueue(gq, [path!], dir);
  await until(() => gq.simulator.stats().lostAnswers >= 1, 'the first answer to be lost');
  gq.simulator.setFaults({ lostAnswerRate: 0 });
  await settledJobs(gq, jobIds, 'the job to settle');

  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(job?.stage, 'done', job?.error?.message);
  const stats = gq.simulator.stats();
  assert.equal(stats.tasks.length, 1, 'one task made, however often it was asked for');
  assert.equal(stats.duplicateSubmissions, 0);
  const creates = stats.creates.filter((c) => c.key !== null);
  assert.ok(creates.length >= 2, `sent at least twice (${creates.length})`);
  assert.equal(new Set(creates.map((c) => c.key)).size, 1, 'under one key');
  assert.equal(new Set(creates.map((c) => c.bodySha256)).size, 1, 'byte for byte the same body');
  assert.equal(creates[0]!.outcome, 'lost');
  assert.equal(creates.at(-1)!.outcome, 'replayed');
  assert.equal(job.taskId, stats.tasks[0]!.id, 'the replayed task is the job’s task');
  assert.match(
    job.submissionPath?.join('; ') ?? '',
    /^answer lost \(.+\); resent with the same key; APIMart replayed task task_\w+$/,
  );

  const sidecar = JSON.parse(await readFile(job.results[0]!.sidecar, 'utf8')) as {
    submission?: { idempotencyKey: string; sends: number; path: string[] };
  };
  assert.equal(sidecar.submission?.idempotencyKey, creates[0]!.key);
  assert.equal(sidecar.submission?.sends, creates.length);
  assert.deepEqual(sidecar.submission?.path, job.submissionPath);
});

test('409 idempotency_in_progress and 503 idempotency_unavailable: waited out and sent again under the same key, one task', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const paths = await makeImages(dir, 2);
  for (const [k, kind] of (['in-progress', 'unavailable'] as const).entries()) {
    gq.simulator.setFaults({ keyConflict: { kind, count: 2 } });
    const { jobIds } = await enqueue(gq, [paths[k]!], dir);
    await settledJobs(gq, jobIds, `the ${kind} job to settle`);
    assert.deepEqual(await stagesOf(gq, jobIds), ['done'], kind);
  }
  const stats = gq.simulator.stats();
  assert.equal(stats.tasks.length, 2, 'one task per job');
  for (const task of stats.tasks) {
    const sent = stats.creates.filter((c) => c.key === task.idempotencyKey);
    assert.deepEqual(
      sent.map((c) => c.outcome),
      [sent[0]!.outcome, sent[0]!.outcome, 'created'],
      'two refusals, then the task, all under the task’s key',
    );
  }
});

test('409 idempotency_result_indeterminate: APIMart itself cannot tell, so the job waits for a person, saying why', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const [path] = await makeImages(dir, 1);
  gq.simulator.setFaults({ keys: 'indeterminate', lostAnswerRate: 1 });
  const { jobIds } = await enqueue(gq, [path!], dir);
  await until(
    async () => (await stagesOf(gq, jobIds))[0] === 'ambiguous',
    'a decision to be needed',
  );
  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(job?.error?.detail, 'indeterminate');
  assert.match(job.error!.message, /APIMart cannot tell whether this task was created/);
  assert.equal(gq.simulator.stats().tasks.length, 1, 'nothing made twice');
});

test('a server that ignores keys: a job whose answer was lost waits for a person, as before; nothing is paid twice', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const paths = await makeImages(dir, 6);
  gq.simulator.setFaults({ keys: 'ignore' });
  // The first job shows what the server is: an answer with no echo of the response version.
  const first = await enqueue(gq, [paths[0]!], dir);
  await settledJobs(gq, first.jobIds, 'the first job');
  gq.simulator.setFaults({ lostAnswerRate: 0.5, seed: 3 });
  const rest = await enqueue(gq, paths.slice(1), dir);
  await settledJobs(gq, rest.jobIds, 'the other jobs');

  const stats = gq.simulator.stats();
  const stages = await stagesOf(gq, rest.jobIds);
  const waiting = stages.filter((s) => s === 'ambiguous').length;
  assert.equal(waiting, stats.lostAnswers, 'exactly the jobs whose answer was lost wait');
  assert.ok(waiting > 0, 'the dice lost at least one answer');
  assert.equal(stats.tasks.length, 6, 'one task per job, none twice');
  assert.equal(stats.duplicateSubmissions, 0);
  const [asked] = await gq.call('jobs.list', { filter: 'ambiguous', limit: 1 }).then((r) => r.jobs);
  assert.equal(asked?.error?.detail, 'keys-ignored');
  assert.match(
    asked!.error!.message,
    /does not honour idempotency keys, so sending it again could pay twice/,
  );
});

test('a synchronous generation.result: its images are fetched at once, no task is polled', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const [path] = await makeImages(dir, 1);
  gq.simulator.setFaults({ syncResults: true });
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: [path!],
    recipe: { prompt: 'x', outDir: dir, model: 'gpt-image-1-official', size: '1:1', n: 2 },
  });
  await settledJobs(gq, jobIds, 'the job');
  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(job?.stage, 'done', job?.error?.message);
  assert.equal(job.results.length, 2);
  const polls = gq.simulator.stats().requests.filter((r) => r.path.startsWith('/v1/tasks/'));
  assert.equal(polls.length, 0);
});

test('a key sent again with another body is refused by APIMart (409 idempotency_key_reused): a sentence, nothing paid', async (t) => {
  const gq = await startTestEngine(t);
  const client = createApimartClient({
    baseUrl: gq.simulator.url,
    apiKey: () => gq.simulator.apiKey,
  });
  t.after(() => client.close());
  const key = randomUUID();
  const recipe = { model: 'gemini-3-pro-image-preview', prompt: 'one' };
  const made = await client.createTask({ key, body: generationRequest(recipe, []) }, {});
  const again = await client.createTask({ key, body: generationRequest(recipe, []) }, {});
  assert.deepEqual([again.taskId, again.replayed], [made.taskId, true], 'the same bytes: a replay');
  const other = generationRequest({ ...recipe, prompt: 'two' }, []);
  const refused = await client.createTask({ key, body: other }, {}).then(
    () => assert.fail('a reused key must be refused'),
    (thrown: unknown) => (thrown as EngineFailure).error,
  );
  assert.equal(refused.code, 'rejected');
  assert.equal(refused.detail, 'idempotency_key_reused');
  assert.match(refused.message, /a GenQueue bug\). APIMart refused it, so nothing was paid/);
  assert.equal(gq.simulator.stats().tasks.length, 1);
  const sent = gq.simulator.stats().requests.filter((r) => r.path === GENERATIONS);
  assert.equal(sent.length, 3);
});

test('a retry of a task that failed is a new request with a new key; the same recipe asked again is too', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const [path] = await makeImages(dir, 1);
  gq.simulator.setFaults({ taskFailure: 'the upstream model is overloaded' });
  const { jobIds } = await enqueue(gq, [path!], dir);
  await settledJobs(gq, jobIds, 'the task to fail');
  assert.deepEqual(await stagesOf(gq, jobIds), ['failed']);
  gq.simulator.setFaults({ taskFailure: null });
  await gq.call('jobs.retry', { ids: jobIds });
  await settledJobs(gq, jobIds, 'the retry');
  assert.deepEqual(await stagesOf(gq, jobIds), ['done']);
  const tasks = gq.simulator.stats().tasks;
  assert.equal(tasks.length, 2, 'the failed task, then a new one');
  assert.notEqual(tasks[0]!.idempotencyKey, tasks[1]!.idempotencyKey);
  assert.ok(
    tasks.every((task) => task.idempotencyKey),
    'both carried a key',
  );
});
