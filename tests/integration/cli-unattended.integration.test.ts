// `genqueue run` left alone, through the real command: under lost create answers, resets, 429s and
// server errors it ends with every result and exit 0, no decision asked and nothing paid twice; and
// a `--simulate` run stopped with Ctrl-C picks up where it was (the simulator kept its tasks).
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { finished, genqueue, printed, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { makeImages } from '../support/images.ts';
import { tempDir } from '../support/paths.ts';

const pngs = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((name) => name.endsWith('.png'));

test('genqueue run under lost answers, resets, 429s and 5xx ends with every result and exit 0', async (t) => {
  const { simulator, env } = await simulatorEnv(t, { resultSize: 64 });
  simulator.setFaults({
    lostAnswerRate: 0.3,
    resetRate: 0.05,
    serverErrorRate: 0.05,
    rateLimit: { retryAfterSeconds: 1, rate: 0.05 },
    seed: 11,
  });
  const inputs = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(inputs, 10);
  const ran = await genqueue(['run', inputs, '--prompt', 'unattended', '--out', out], env);
  assert.equal(ran.code, 0, ran.stderr + ran.stdout);
  assert.equal((await pngs(out)).length, 10);
  const stats = simulator.stats();
  assert.equal(stats.tasks.length, 10, 'one task per image');
  assert.ok(stats.lostAnswers > 0, 'the dice lost at least one answer');
  const status = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as {
    counts: Record<string, number>;
    lostAnswers: { resent: number; replayed: number };
  };
  assert.deepEqual(status.counts, { done: 10 });
  assert.ok(status.lostAnswers.replayed > 0, 'status counts the replays');
});

test('a --simulate run stopped with Ctrl-C mid-batch resumes at the next run: every job done, none "not found"', async (t) => {
  const home = await tempDir(t);
  const inputs = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(inputs, 4);
  const env = { GENQUEUE_HOME: home };
  const run = ['run', inputs, '--simulate', '--prompt', 'resume', '--out', out];
  const child = spawnGenqueue([...run, '--json'], env);
  const ended = finished(child);
  await printed(child, /"stage":"running"/, 2);
  child.kill('SIGINT');
  const stopped = await ended;
  assert.notEqual(stopped.code, 0, 'the first run was stopped before it finished');
  assert.ok((await pngs(out)).length < 4, 'stopped mid-batch');

  const again = await genqueue(run, env);
  assert.equal(again.code, 0, again.stderr + again.stdout);
  assert.doesNotMatch(again.stdout + again.stderr, /not found/);
  assert.equal((await pngs(out)).length, 4);
  const jobs = (await genqueue(['jobs', '--json'], env)).stdout.trim().split('\n');
  assert.equal(jobs.length, 4);
  assert.ok(jobs.every((line) => JSON.parse(line).stage === 'done'));
  assert.ok((await readdir(join(home, 'simulator'))).length > 0, 'the simulator kept its state');
});
