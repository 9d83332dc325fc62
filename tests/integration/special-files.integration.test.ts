// Files that are not files: a named pipe given by name, or one put in place of a queued photo,
// is refused with a sentence before it is opened (opening one waits for a writer that never
// comes), so a run ends in seconds, the other photos are done, and stop and SIGTERM are prompt.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSimulator } from '../../main/simulator/simulator.ts';
import { finished, genqueue, spawnGenqueue } from '../support/cli.ts';
import { startTestEngine, stagesOf } from '../support/engine-harness.ts';
import { CORPUS, tempDir } from '../support/paths.ts';
import { until } from '../support/until.ts';

const PHOTO = join(CORPUS, 'jpg/Canon_40D.jpg');
const noPipes = process.platform === 'win32' ? 'no named pipes in folders on Windows' : false;

test(
  'genqueue run fifo.jpg real.jpg ends in seconds: the pipe refused, the photo done',
  {
    skip: noPipes,
    timeout: 30_000,
  },
  async (t) => {
    const simulator = await startSimulator({ taskDurationMs: 200 });
    t.after(() => simulator.close());
    const dir = await tempDir(t);
    execFileSync('mkfifo', [join(dir, 'fifo.jpg')]);
    await copyFile(PHOTO, join(dir, 'real.jpg'));
    const started = Date.now();
    const ran = await genqueue(
      ['run', join(dir, 'fifo.jpg'), join(dir, 'real.jpg'), '--prompt', 'x', '--out', dir],
      {
        APIMART_BASE_URL: simulator.url,
        APIMART_API_KEY: simulator.apiKey,
        GENQUEUE_HOME: await tempDir(t),
      },
    );
    assert.ok(Date.now() - started < 20_000, 'ended in seconds');
    assert.equal(ran.code, 0, ran.stderr + ran.stdout);
    assert.match(ran.stdout, /fifo\.jpg: This is a named pipe, not an image file\./);
    assert.match(ran.stdout, /1 of 1 done\./);
  },
);

test(
  'a queued photo replaced by a pipe fails with a sentence; the engine stops promptly',
  {
    skip: noPipes,
  },
  async (t) => {
    const te = await startTestEngine(t);
    const dir = await tempDir(t);
    const photo = join(dir, 'photo.jpg');
    await copyFile(PHOTO, photo);
    await copyFile(PHOTO, join(dir, 'other.jpg'));
    await te.call('queue.pause', {});
    const { jobIds } = await te.call('jobs.enqueue', {
      paths: [photo, join(dir, 'other.jpg')],
      recipe: { prompt: 'x', outDir: dir },
    });
    await rm(photo);
    execFileSync('mkfifo', [photo]);
    await te.call('queue.resume', {});
    await until(
      async () =>
        (await stagesOf(te, jobIds)).every((stage) => stage === 'done' || stage === 'failed'),
      'both jobs to finish',
    );
    const [piped, other] = await te.call('jobs.get', { ids: jobIds });
    assert.equal(piped?.stage, 'failed');
    assert.match(piped?.error?.message ?? '', /photo\.jpg is a named pipe, not an image file/);
    assert.equal(other?.stage, 'done');
    const stopping = Date.now();
    await te.engine.stop();
    assert.ok(Date.now() - stopping < 3000, 'stop is prompt');
  },
);

test('SIGTERM during a run ends it promptly, every job kept', { timeout: 30_000 }, async (t) => {
  const simulator = await startSimulator({ taskDurationMs: 60_000 });
  t.after(() => simulator.close());
  const home = await tempDir(t);
  const child = spawnGenqueue(
    ['run', PHOTO, '--prompt', 'x', '--out', await tempDir(t), '--json'],
    { APIMART_BASE_URL: simulator.url, APIMART_API_KEY: simulator.apiKey, GENQUEUE_HOME: home },
  );
  t.after(() => child.kill('SIGKILL'));
  const ran = finished(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  await until(
    () => output.includes('"stage":"running"'),
    'the job to run',
    20_000,
    () => output,
  );
  const signalled = Date.now();
  child.kill('SIGTERM');
  const { code, stdout } = await ran;
  assert.ok(Date.now() - signalled < 5000, 'ended within seconds of SIGTERM');
  assert.equal(code, 130, stdout);
  assert.match(stdout, /"pending":1/);
});
