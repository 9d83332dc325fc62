// The uploaded bytes are the checked bytes (issue 11, deliverable 5): a source that passed the
// preflight byte for byte and then changed is never uploaded whole; its job is prepared again from
// the new bytes (a file that keeps changing fails it), and no URL is remembered under the old hash.
// Real files, the simulator over real HTTP on 127.0.0.1, a real engine for the whole story.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import sharp from 'sharp';
import type { EngineFailure } from '../../main/contract/errors.ts';
import { createApimartClient, isFileChanged } from '../../main/engine/apimart/client.ts';
import { createUploadCache } from '../../main/engine/apimart/upload-cache.ts';
import { createLifecycle } from '../../main/engine/jobs/lifecycle.ts';
import { runUpload, type StageContext } from '../../main/engine/queue/stages.ts';
import { openDatabase } from '../../main/engine/store/database.ts';
import { createJobsStore } from '../../main/engine/store/jobs-store.ts';
import type { Simulator } from '../../main/simulator/simulator.ts';
import { enqueue, startTestEngine, tempDir } from '../support/engine-harness.ts';
import { useSimulator } from '../support/simulator-harness.ts';
import { onTestEnd } from '../support/paths.ts';
import { until } from '../support/until.ts';

/** A small compliant JPEG (no metadata, so the preflight passes it through byte for byte). */
function jpeg(red: number): Promise<Buffer> {
  const background = { r: red, g: 120, b: 200 };
  return sharp({ create: { width: 96, height: 64, channels: 3, background } })
    .jpeg()
    .toBuffer();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function clientFor(t: TestContext, simulator: Simulator) {
  const client = createApimartClient({ baseUrl: simulator.url, apiKey: () => simulator.apiKey });
  t.after(() => client.close());
  return client;
}

test('the client refuses to finish an upload whose file no longer hashes as checked', async (t) => {
  const simulator = await useSimulator(t);
  const client = clientFor(t, simulator);
  const file = join(await tempDir(t), 'photo.jpg');
  const checked = await jpeg(10);
  await writeFile(file, await jpeg(250));
  const upload = { path: file, filename: 'photo.jpg', contentType: 'image/jpeg' };
  await assert.rejects(client.upload({ ...upload, sha256: sha256(checked) }, {}), (thrown) => {
    assert.ok(isFileChanged(thrown), `expected the file-changed failure, got ${String(thrown)}`);
    assert.equal(
      (thrown as EngineFailure).message,
      'photo.jpg changed after GenQueue checked it; it will be checked again.',
    );
    return true;
  });
  assert.deepEqual(simulator.stats().uploads, [], 'the simulator stored no upload');
  await writeFile(file, checked);
  await client.upload({ ...upload, sha256: sha256(checked) }, {});
  assert.deepEqual(
    simulator.stats().uploads.map((received) => received.sha256),
    [sha256(checked)],
  );
});

/** runUpload with a real store, upload cache and client; the job waits in 'uploading'. */
async function uploadStage(t: TestContext) {
  const simulator = await useSimulator(t);
  const dir = await tempDir(t);
  const db = openDatabase(join(dir, 'q.db'));
  onTestEnd(t, () => db.close());
  const store = createJobsStore(db);
  const uploadCache = createUploadCache(db);
  const client = clientFor(t, simulator);
  // Only what runUpload reads; the rest of a StageContext belongs to other stages.
  const ctx = {
    store,
    life: createLifecycle(store),
    uploadCache,
    client: () => client,
    baseUrl: () => simulator.url,
    changed: () => undefined,
    progress: () => undefined,
  } as unknown as StageContext;
  const source = join(dir, 'photo.jpg');
  const [id] = store.enqueue([{ source, recipe: { model: 'm', prompt: 'p' }, simulated: false }]);
  store.transition(id!, 'preparing');
  /** The preflight's verdict on `bytes`, then the file replaced by other bytes before upload. */
  const checkThenChange = async (bytes: Buffer, now: Buffer) => {
    const prepared = {
      ...{ path: source, bytes: bytes.length, format: 'jpeg', contentType: 'image/jpeg' },
      ...{ width: 96, height: 64, sha256: sha256(bytes) },
    };
    await writeFile(source, now);
    return store.transition(id!, 'uploading', { prepared });
  };
  return { simulator, store, uploadCache, ctx, checkThenChange };
}

test('runUpload sends a changed file back to preparing, twice at most, then fails the job', async (t) => {
  const { simulator, uploadCache, ctx, checkThenChange } = await uploadStage(t);
  const versions = await Promise.all([10, 60, 110, 160].map(jpeg));
  for (const [round, checked] of versions.slice(0, 2).entries()) {
    const job = await checkThenChange(checked, versions[round + 1]!);
    await runUpload(ctx, job, new AbortController().signal);
    const after = ctx.store.require(job.id);
    assert.equal(after.stage, 'preparing');
    assert.equal(after.prepared, null);
    assert.equal(after.timings.rechecks, round + 1);
  }
  const job = await checkThenChange(versions[2]!, versions[3]!);
  await assert.rejects(
    runUpload(ctx, job, new AbortController().signal),
    /^EngineFailure: photo\.jpg kept changing after GenQueue checked it, so it was not uploaded\. Retry the job once the file stays the same\.$/,
  );
  assert.deepEqual(simulator.stats().uploads, []);
  for (const checked of versions) {
    assert.equal(uploadCache.lookup(sha256(checked), simulator.url), undefined);
  }
});

test('a source replaced after its check is prepared again and the new bytes are what is uploaded', async (t) => {
  const gq = await startTestEngine(t, { simulator: { taskDurationMs: 50 } });
  const dir = await tempDir(t);
  const source = join(dir, 'photo.jpg');
  const [before, after] = await Promise.all([jpeg(10), jpeg(250)]);
  await writeFile(source, before);
  // Every request is refused with a 1 s Retry-After: the job is prepared, tries its upload once,
  // and waits; meanwhile its file is replaced, and the service lets it through again.
  gq.simulator.setFaults({ rateLimit: { retryAfterSeconds: 1, rate: 1 } });
  const [id] = (await enqueue(gq, [source], join(dir, 'out'))).jobIds;
  const job = async () => (await gq.call('jobs.get', { ids: [id!] }))[0]!;
  await until(async () => (await job()).error?.code === 'rate_limited', 'the refused upload');
  await writeFile(source, after);
  gq.simulator.setFaults({ rateLimit: null });
  await until(async () => ['done', 'failed'].includes((await job()).stage), 'the job to finish');
  assert.equal((await job()).stage, 'done', JSON.stringify((await job()).error));

  assert.deepEqual(
    gq.simulator.stats().uploads.map((received) => received.sha256),
    [sha256(after)],
    'only the new bytes were uploaded, once',
  );
  const db = new DatabaseSync(join(gq.home, 'genqueue.db'), { readOnly: true });
  onTestEnd(t, () => db.close());
  const row = db.prepare('SELECT prepared, timings FROM jobs WHERE id = ?').get(id!)!;
  const prepared = JSON.parse(String(row.prepared)) as { path: string; sha256: string };
  assert.equal(prepared.path, source, 'the source passed through byte for byte');
  assert.equal(prepared.sha256, sha256(after), 'the job holds the new bytes’ hash');
  assert.equal((JSON.parse(String(row.timings)) as { rechecks?: number }).rechecks, 1);
  const cached = db.prepare('SELECT sha256 FROM uploads').all();
  assert.deepEqual(
    cached.map((entry) => entry.sha256),
    [sha256(after)],
    'nothing is remembered under the old hash',
  );
});
