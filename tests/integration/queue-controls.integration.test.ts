// The queue's controls and guards: pausing single jobs, the content-hash duplicate guard, and an
// output folder that cannot be written (before paying: the queue pauses; after: results are kept
// in the recovery folder and the queue pauses).
import assert from 'node:assert/strict';
import { copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { setTimeout as sleep } from 'node:timers/promises';
import { enqueue, stagesOf, startTestEngine, tempDir } from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { until } from '../support/until.ts';

test('a paused job keeps its place while the others finish, and finishes once resumed', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  await gq.call('queue.pause', {});
  const { jobIds } = await enqueue(gq, await makeImages(dir, 3), dir);
  const held = jobIds[1]!;
  assert.equal((await gq.call('jobs.pause', { ids: [held] })).count, 1);
  await gq.call('queue.resume', {});
  await until(
    async () => (await stagesOf(gq, [jobIds[0]!, jobIds[2]!])).every((stage) => stage === 'done'),
    'the other jobs',
  );
  await sleep(300);
  const [paused] = await gq.call('jobs.get', { ids: [held] });
  assert.equal(paused?.stage, 'queued');
  assert.equal(paused.held, true);
  await gq.call('jobs.resume', { ids: [held] });
  await until(async () => (await stagesOf(gq, [held]))[0] === 'done', 'the resumed job');
});

test('the same image under another name with the same recipe is stopped as a duplicate, unless retried', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const [original] = await makeImages(dir, 1);
  const copy = join(dir, 'copy-of-original.png');
  await copyFile(original!, copy);
  const first = await enqueue(gq, [original!], dir);
  await until(async () => (await stagesOf(gq, first.jobIds))[0] === 'done', 'the original');
  const second = await enqueue(gq, [copy], dir);
  await until(
    async () => (await stagesOf(gq, second.jobIds))[0] === 'failed',
    'the duplicate guard',
  );
  const [dup] = await gq.call('jobs.get', { ids: second.jobIds });
  assert.equal(dup?.error?.code, 'duplicate');
  assert.match(dup.error?.message ?? '', /already in the queue with this recipe/);
  assert.equal(gq.simulator.stats().tasks.length, 1, 'the duplicate was never paid for');
  const other = await gq.call('jobs.enqueue', {
    paths: [copy],
    recipe: { prompt: 'y', outDir: dir },
  });
  await until(
    async () => (await stagesOf(gq, other.jobIds))[0] === 'done',
    'another recipe for the same image',
  );
  await gq.call('jobs.retry', { ids: second.jobIds });
  await until(async () => (await stagesOf(gq, second.jobIds))[0] === 'done', 'the forced retry');
});

test('an output folder that cannot be written before paying: the queue pauses, saying which, and pays for nothing', async (t) => {
  const gq = await startTestEngine(t);
  const dir = await tempDir(t);
  const blocker = join(dir, 'not-a-folder');
  await writeFile(blocker, 'a file where the output folder should be');
  const out = join(blocker, 'results');
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 1),
    recipe: { prompt: 'x', outDir: out },
  });
  await until(async () => (await gq.call('queue.stats', {})).paused === 'disk', 'the disk pause');
  const stats = await gq.call('queue.stats', {});
  assert.ok(stats.pauseMessage?.includes(out), stats.pauseMessage);
  assert.equal(gq.simulator.stats().tasks.length, 0, 'no generation was paid for');
  assert.notEqual((await stagesOf(gq, jobIds))[0], 'done');

  await rm(blocker);
  await gq.call('queue.resume', {});
  await until(async () => (await stagesOf(gq, jobIds))[0] === 'done', 'the job after the fix');
  assert.ok((await readdir(out)).some((name) => name.endsWith('.png')));
  assert.equal(gq.simulator.stats().tasks.length, 1);
});

test('an output folder that breaks after paying: results go to the recovery folder and the queue pauses, saying where', async (t) => {
  const gq = await startTestEngine(t, { simulator: { taskDurationMs: 1500 } });
  const dir = await tempDir(t);
  const parent = join(dir, 'folder');
  const out = join(parent, 'results');
  const { jobIds } = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 1),
    recipe: { prompt: 'x', outDir: out },
  });
  await until(async () => (await stagesOf(gq, jobIds))[0] === 'running', 'the paid task');
  await rm(parent, { recursive: true });
  await writeFile(parent, 'a file where the output folder was');
  await until(async () => (await gq.call('queue.stats', {})).paused === 'disk', 'the disk pause');
  const stats = await gq.call('queue.stats', {});
  const recovered = join(gq.home, 'recovered');
  assert.ok(
    stats.pauseMessage?.includes(out) && stats.pauseMessage.includes(recovered),
    stats.pauseMessage,
  );
  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(job?.stage, 'done');
  assert.ok(job.results[0]?.path.startsWith(recovered));
  assert.ok((await readdir(recovered)).some((name) => name.endsWith('.png')));

  await rm(parent);
  await gq.call('queue.resume', {});
  const next = await gq.call('jobs.enqueue', {
    paths: await makeImages(dir, 1, { prefix: 'after' }),
    recipe: { prompt: 'x', outDir: out },
  });
  await until(async () => (await stagesOf(gq, next.jobIds))[0] === 'done', 'a job after the fix');
  assert.ok((await readdir(out)).some((name) => name.startsWith('after-')));
});

async function noisyPng(dir: string, name: string, side: number): Promise<string> {
  const path = join(dir, name);
  await sharp({
    create: {
      width: side,
      height: side,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toFile(path);
  return path;
}

test('413: the job is prepared once more for a smaller target, then fails with the sizes', async (t) => {
  const gq = await startTestEngine(t, { simulator: { uploadLimit: 150_000 } });
  const dir = await tempDir(t);
  const fits = await noisyPng(dir, 'noise.png', 300);
  const { jobIds } = await enqueue(gq, [fits], dir);
  await until(
    async () => ['done', 'failed'].includes((await stagesOf(gq, jobIds))[0] ?? ''),
    'the job',
  );
  const [job] = await gq.call('jobs.get', { ids: jobIds });
  assert.equal(job?.stage, 'done', JSON.stringify(job?.error));
  const uploads = gq.simulator.stats().requests.filter((r) => r.path === '/v1/uploads/images');
  assert.deepEqual(
    uploads.map((r) => r.status),
    [413, 200],
    'refused once, then accepted smaller',
  );

  const tiny = await startTestEngine(t, { simulator: { uploadLimit: 500 } });
  const refused = await enqueue(tiny, [fits], dir);
  await until(async () => (await stagesOf(tiny, refused.jobIds))[0] === 'failed', 'the failure');
  const [failed] = await tiny.call('jobs.get', { ids: refused.jobIds });
  assert.equal(failed?.error?.code, 'too_large');
  assert.match(
    failed.error?.message ?? '',
    /exceeds maximum 500 bytes.*GenQueue sent \d+ KB after shrinking it once/,
  );
});
