import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase, schemaVersion } from '../../../../main/engine/store/database.ts';
import { MIGRATIONS } from '../../../../main/engine/store/migrations.ts';
import { createJobsStore, recipeKey } from '../../../../main/engine/store/jobs-store.ts';
import { tempDir } from '../../../support/paths.ts';

const recipe = { model: 'm', prompt: 'p' };

async function store(t: Parameters<typeof tempDir>[0]) {
  const db = openDatabase(join(await tempDir(t), 'q.db'));
  t.after(() => db.close());
  return { db, jobs: createJobsStore(db) };
}

test('the database opens in WAL mode with every migration applied, and reopens without redoing them', async (t) => {
  const dir = await tempDir(t);
  const first = openDatabase(join(dir, 'q.db'));
  assert.equal(first.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  assert.equal(schemaVersion(first), MIGRATIONS.length);
  first.close();
  const again = openDatabase(join(dir, 'q.db'));
  assert.equal(
    Number(again.prepare('SELECT COUNT(*) AS n FROM schema_version').get()?.n),
    MIGRATIONS.length,
  );
  again.close();
});

test('jobs follow the state machine; a move it does not allow is refused and changes nothing', async (t) => {
  const { jobs } = await store(t);
  const [id] = jobs.enqueue([{ source: '/a.jpg', recipe, simulated: false }]);
  assert.equal(jobs.require(id!).stage, 'queued');
  assert.throws(() => jobs.transition(id!, 'running'), /cannot move from queued to running/);
  assert.equal(jobs.require(id!).stage, 'queued');
  jobs.transition(id!, 'preparing');
  jobs.transition(id!, 'uploading', { sourceHash: 'abc' });
  assert.equal(jobs.require(id!).sourceHash, 'abc');
  assert.throws(() => jobs.transition(id!, 'done'));
});

test('a job holding a task id is never moved back to submitting (never pay twice)', async (t) => {
  const { jobs } = await store(t);
  const [id] = jobs.enqueue([{ source: '/a.jpg', recipe, simulated: false }]);
  for (const stage of ['preparing', 'uploading', 'submitting'] as const)
    jobs.transition(id!, stage);
  jobs.transition(id!, 'running', { taskId: 'task_1' });
  jobs.transition(id!, 'waiting', { resumeStage: 'running', nextAttemptAt: 1 });
  assert.throws(() => jobs.transition(id!, 'submitting'), /already has task task_1/);
  assert.equal(jobs.require(id!).stage, 'waiting');
});

test('ready() returns due jobs in queue order, skipping excluded ones and waiting jobs not yet due', async (t) => {
  const { jobs } = await store(t);
  const ids = jobs.enqueue(
    [1, 2, 3, 4].map((i) => ({ source: `/${i}.jpg`, recipe, simulated: false })),
  );
  jobs.transition(ids[1]!, 'preparing');
  jobs.transition(ids[1]!, 'waiting', { resumeStage: 'preparing', nextAttemptAt: 5000 });
  jobs.transition(ids[2]!, 'cancelled');
  assert.deepEqual(
    jobs.ready(['queued', 'preparing'], 10, new Set([ids[0]!]), 1000).map((j) => j.id),
    [ids[3]],
  );
  assert.deepEqual(
    jobs.ready(['queued', 'preparing'], 10, new Set(), 6000).map((j) => j.id),
    [ids[0], ids[1], ids[3]],
  );
  jobs.moveToTop(ids[3]!);
  assert.equal(jobs.ready(['queued'], 1, new Set())[0]?.id, ids[3]);
  assert.equal(jobs.nextWakeAt(1000), 5000);
  assert.equal(jobs.nextWakeAt(5000), undefined, 'a job already due is not a wake-up to come');
});

test('JSON fields round-trip, counts group by stage, and the same source + recipe is found', async (t) => {
  const { jobs } = await store(t);
  const [id] = jobs.enqueue([{ source: '/a.jpg', recipe: { ...recipe, n: 2 }, simulated: true }]);
  jobs.transition(id!, 'preparing');
  jobs.transition(id!, 'failed', {
    error: { code: 'corrupt', message: 'Damaged.', retryable: false },
  });
  const job = jobs.require(id!);
  assert.deepEqual(job.recipe, { model: 'm', prompt: 'p', n: 2 });
  assert.deepEqual(job.error, { code: 'corrupt', message: 'Damaged.', retryable: false });
  assert.equal(job.simulated, true);
  assert.deepEqual(jobs.counts(), { failed: 1 });
  assert.equal(
    jobs.findSame('/a.jpg', { ...recipe, n: 2 })?.id,
    id,
    'a failed job is found, to be queued again instead of made twice',
  );
  jobs.transition(id!, 'queued');
  assert.equal(jobs.findSame('/a.jpg', { ...recipe, n: 2 })?.id, id);
  assert.notEqual(recipeKey(recipe), recipeKey({ ...recipe, size: '1:1' }));
  assert.equal(
    recipeKey({ ...recipe, outDir: '/x' }),
    recipeKey(recipe),
    'the output folder does not change the generation',
  );
});

test('a job given an edited recipe is found by the new recipe, not the old one', async (t) => {
  const { jobs } = await store(t);
  const [id] = jobs.enqueue([{ source: '/a.jpg', recipe, simulated: false }]);
  const edited = { model: 'm', prompt: 'another prompt' };
  jobs.transition(id!, 'cancelled');
  jobs.transition(id!, 'queued', { recipe: edited });
  assert.equal(jobs.require(id!).recipeKey, recipeKey(edited));
  assert.equal(jobs.findSame('/a.jpg', edited)?.id, id);
  assert.equal(jobs.findSame('/a.jpg', recipe), undefined);
});
