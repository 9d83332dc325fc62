// Money through the `genqueue` command: --estimate says the cost and uploads nothing; a run that
// stops at --max-spend exits 3 with its summary, and a run with a higher cap carries on; the spend
// totals in `status --json` equal what the simulator charged even after SIGKILL mid-batch; and
// watch spends nothing on a prompt nobody chose.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finished, genqueue, printed, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { makeImages } from '../support/images.ts';
import { chargedMicros, micros } from '../support/money.ts';
import { tempDir } from '../support/paths.ts';
import { until } from '../support/until.ts';

interface StatusJson {
  total: number;
  counts: Record<string, number>;
  spend: { todayUsd: number; totalUsd: number; tasks: number; unknownTasks: number };
}

async function status(env: Record<string, string>): Promise<StatusJson> {
  return JSON.parse((await genqueue(['status', '--json'], env)).stdout) as StatusJson;
}

test('--max-spend: the run stops at the cap with exit 3 and its summary; --estimate says what the rest costs; a higher cap finishes them', async (t) => {
  const { simulator, env } = await simulatorEnv(t, { pricing: { perImageUsd: 0.05 } });
  const inputs = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(inputs, 10);
  const run = ['run', inputs, '--prompt', 'capped', '--out', out];

  const before = await genqueue([...run, '--estimate'], env);
  assert.equal(before.code, 0, before.stderr);
  assert.equal(before.stdout, 'price known after the first image\n');
  assert.equal(simulator.stats().uploads.length, 0, '--estimate uploads nothing');

  const capped = await genqueue([...run, '--max-spend', '0.20'], env);
  assert.equal(capped.code, 3, capped.stderr + capped.stdout);
  assert.match(
    capped.stdout,
    /^4 done, 6 held at the \$0\.20 cap\. Run again with a higher cap to carry on\.$/m,
  );
  assert.match(
    capped.stdout,
    /^Held at this run's \$0\.20 cap: \$0\.20 is spent or under way, and this image costs ≈ \$0\.05\. Raise the cap to release it\.$/m,
  );
  assert.equal(simulator.stats().tasks.length, 4);
  assert.equal(await chargedMicros(simulator), micros(0.2));

  const uploads = simulator.stats().uploads.length;
  const rest = await genqueue(['run', '--estimate'], env);
  assert.equal(rest.stdout, "≈ $0.30 for 6 images (the queue's unpaid jobs)\n");
  const again = await genqueue([...run, '--estimate'], env);
  assert.equal(again.stdout, '≈ $0.50 for 10 images\n');
  assert.equal(simulator.stats().uploads.length, uploads, 'still nothing uploaded');

  const raised = await genqueue(['run', '--max-spend', '0.50'], env);
  assert.equal(raised.code, 0, raised.stderr + raised.stdout);
  assert.match(raised.stdout, /6 of 6 done\./);
  const spent = (await status(env)).spend;
  assert.equal(spent.tasks, 10);
  assert.equal(micros(spent.totalUsd), micros(0.5));
  assert.equal(await chargedMicros(simulator), micros(0.5));
});

test('--max-spend takes dollars: anything else is a usage error', async (t) => {
  const { env } = await simulatorEnv(t);
  const dir = await tempDir(t);
  const ran = await genqueue(['run', dir, '--prompt', 'x', '--max-spend', 'lots'], env);
  assert.equal(ran.code, 2);
  assert.match(
    ran.stderr,
    /--max-spend takes an amount in US dollars, such as 0\.20, not "lots"\./,
  );
});

test('spend after SIGKILL mid-batch: run again, and the totals equal what the simulator charged, nothing counted twice', async (t) => {
  const { simulator, env } = await simulatorEnv(t, {
    taskDurationMs: 300,
    resultSize: 64,
    pricing: { perImageUsd: 0.01 },
  });
  const inputs = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(inputs, 30);
  const run = ['run', inputs, '--prompt', 'crash', '--out', out];
  const child = spawnGenqueue([...run, '--json'], env);
  const ended = finished(child);
  await until(async () => (await chargedMicros(simulator)) >= micros(0.05), 'five tasks charged');
  child.kill('SIGKILL');
  assert.equal((await ended).signal, 'SIGKILL');
  const midway = await status(env);
  assert.ok(midway.counts.done !== 30, 'killed mid-batch');

  const last = await genqueue(run, env);
  const ambiguous = (await status(env)).counts.ambiguous ?? 0;
  if (ambiguous > 0) {
    assert.equal((await genqueue(['retry', '--ambiguous'], env)).code, 0);
    assert.equal((await genqueue(run, env)).code, 0);
  } else {
    assert.equal(last.code, 0, last.stderr + last.stdout);
  }
  const final = await status(env);
  assert.deepEqual(final.counts, { done: 30 });
  const tasks = simulator.stats().tasks.length;
  assert.equal(final.spend.tasks, tasks, 'one cost per task the simulator made');
  assert.equal(
    micros(final.spend.totalUsd),
    await chargedMicros(simulator),
    'exactly what was charged',
  );
  assert.equal(final.spend.unknownTasks, 0);
});

test('watch without --prompt and without a saved recipe is refused in a sentence (exit 2), spending nothing', async (t) => {
  const { simulator, env } = await simulatorEnv(t);
  const inbox = await tempDir(t);
  await makeImages(inbox, 2);
  const refused = await genqueue(['watch', inbox], env);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /genqueue watch needs --prompt "<what to make>" for .*: no recipe is saved with it, and GenQueue spends nothing on a prompt nobody chose\./,
  );
  assert.equal(simulator.stats().uploads.length, 0);

  const child = spawnGenqueue(['watch', inbox, '--prompt', 'pencil sketch'], env);
  const ran = finished(child);
  const said = await printed(child, /^ {2}\/.*: .* → .*\n/);
  assert.match(said, /gemini-3-pro-image-preview, "pencil sketch" → /);
  child.kill('SIGINT');
  assert.equal((await ran).code, 0);

  // Saved with the folder now: a plain `genqueue watch` uses it, and says so.
  const again = spawnGenqueue(['watch'], env);
  const rerun = finished(again);
  assert.match(await printed(again, /^ {2}\/.*: .* → .*\n/), /"pencil sketch"/);
  again.kill('SIGINT');
  assert.equal((await rerun).code, 0);
});
