// The queue's promise under the worst host behaviour: `genqueue run` is killed with SIGKILL at ten
// random moments, most of them inside the submit window (just after a job was reported
// submitting), and started again each time, against one simulator that outlives it. Every job
// must end done, none lost, none waiting for a decision, and no task made twice: a job caught
// between "submit intended" and its task id is sent again under its key and APIMart replays it.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { finished, genqueue, printed, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { makeImages } from '../support/images.ts';
import { tempDir } from '../support/paths.ts';

test('killed with SIGKILL at 10 random moments, mostly mid-submit, the queue finishes every job exactly once with no decision asked', async (t) => {
  const { simulator, env } = await simulatorEnv(t, { taskDurationMs: 300, resultSize: 64 });
  // A little latency widens the window between "submit intended" and the task id.
  simulator.setFaults({ latencyMs: 15 });
  const inputs = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(inputs, 100);
  const run = ['run', inputs, '--prompt', 'crash test', '--out', out];

  let seed = 12345;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let inSubmitWindow = 0;
  for (let kill = 0; kill < 10; kill++) {
    const child = spawnGenqueue([...run, '--json'], env);
    const ended = finished(child);
    if (random() < 0.7) {
      // Weighted to the submit window: right after the k-th report of a job submitting.
      const k = 1 + Math.floor(random() * 6);
      const seen = printed(child, /"stage":"submitting"/, k);
      if ((await Promise.race([seen.then(() => 'seen'), ended.then(() => 'ended')])) === 'seen') {
        inSubmitWindow++;
        await sleep(Math.floor(random() * 20));
      }
    } else {
      // --json prints an event as soon as the run is working: the random moment counts from there.
      await Promise.race([new Promise((resolve) => child.stdout.once('data', resolve)), ended]);
      await sleep(Math.floor(random() * 1500));
    }
    child.kill('SIGKILL');
    const result = await ended;
    assert.ok(
      result.signal === 'SIGKILL' || result.code !== null,
      'the run was killed (or had already finished)',
    );
  }

  const status = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as {
    total: number;
    counts: Record<string, number>;
    lostAnswers: { resent: number; replayed: number };
  };
  assert.equal(status.total, 100, 'no job was lost or duplicated by the restarts');
  assert.equal(status.counts.ambiguous ?? 0, 0, 'no job waits for a decision');

  const last = await genqueue(run, env);
  assert.equal(last.code, 0, last.stderr + last.stdout);

  const stats = simulator.stats();
  assert.equal(stats.tasks.length, 100, 'one task per job: nothing paid twice');
  assert.equal(stats.duplicateSubmissions, 0);
  const results = (await readdir(out)).filter((name) => name.endsWith('.png'));
  assert.equal(results.length, 100, 'exactly one result per image');
  assert.ok(
    results.every((name) => !name.includes(' (2)')),
    'no result was downloaded twice',
  );
  const final = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as {
    counts: Record<string, number>;
    needsDecision: { total: number };
    lostAnswers: { resent: number; replayed: number };
  };
  assert.deepEqual(final.counts, { done: 100 });
  assert.equal(final.needsDecision.total, 0);
  const replays = stats.creates.filter((c) => c.outcome === 'replayed').length;
  t.diagnostic(
    `kills in the submit window ${inSubmitWindow} of 10; resent ${final.lostAnswers.resent}, replays ${replays}, decisions 0, tasks ${stats.tasks.length} for 100 jobs`,
  );
});
