// The queue's promise under the worst host behaviour: `genqueue run` is killed with SIGKILL at ten
// random moments and started again each time, against one simulator that outlives it. Every job
// must end done, none lost, no job holding a task id ever submitted again, and the jobs caught
// between "submit intended" and the task id shown as ambiguous until a person decides.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { finished, genqueue, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { makeImages } from '../support/images.ts';
import { tempDir } from '../support/paths.ts';

test('killed with SIGKILL at 10 random moments, the queue still finishes every job exactly once', async (t) => {
  const { simulator, env } = await simulatorEnv(t, { taskDurationMs: 300, resultSize: 64 });
  const inputs = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(inputs, 100);
  const run = ['run', inputs, '--prompt', 'crash test', '--out', out];

  let seed = 12345;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let kill = 0; kill < 10; kill++) {
    // --json prints an event as soon as the run is working: the random moment counts from there.
    const child = spawnGenqueue([...run, '--json'], env);
    const ended = finished(child);
    await Promise.race([new Promise((resolve) => child.stdout.once('data', resolve)), ended]);
    await sleep(Math.floor(random() * 1500));
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
  };
  assert.equal(status.total, 100, 'no job was lost or duplicated by the restarts');
  const ambiguous = status.counts.ambiguous ?? 0;

  const last = await genqueue(run, env);
  assert.equal(last.code, ambiguous > 0 ? 1 : 0, last.stderr);
  if (ambiguous > 0) {
    assert.match(last.stdout, /^decide +/m, 'ambiguous jobs are shown');
    assert.equal((await genqueue(['retry', '--ambiguous'], env)).code, 0);
    const settled = await genqueue(run, env);
    assert.equal(settled.code, 0, settled.stderr + settled.stdout);
  }

  const stats = simulator.stats();
  // Only jobs a person chose to resubmit may have been created twice.
  assert.ok(
    stats.tasks.length - 100 <= ambiguous,
    `${stats.tasks.length} tasks for 100 jobs with ${ambiguous} ambiguous`,
  );
  assert.ok(stats.duplicateSubmissions <= ambiguous);
  const results = (await readdir(out)).filter((name) => name.endsWith('.png'));
  assert.equal(results.length, 100, 'exactly one result per image');
  assert.ok(
    results.every((name) => !name.includes(' (2)')),
    'no result was downloaded twice',
  );
  const final = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as {
    counts: Record<string, number>;
  };
  assert.deepEqual(final.counts, { done: 100 });
});
