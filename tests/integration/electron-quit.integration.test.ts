// The desktop app's quit, run without Electron: the same stopWithin(engine.stop, QUIT_DEADLINE_MS)
// the host runs on before-quit, while jobs are preparing, uploading and running against the
// simulator. Nothing may be lost or paid twice: a restart on the same data finishes every job once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../main/contract/schemas.ts';
import { createEngine, type Engine } from '../../main/engine/engine.ts';
import { memorySecrets, memorySettings } from '../../main/engine/host/ports.ts';
import { QUIT_DEADLINE_MS, stopWithin } from '../../main/hosts/electron/shutdown.ts';
import { startSimulator } from '../../main/simulator/simulator.ts';
import { tempDir } from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { until } from '../support/until.ts';

const JOBS = 12;

test('quitting mid-batch leaves every job durable, and a restart finishes each exactly once', async (t) => {
  const simulator = await startSimulator({ taskDurationMs: 1500 });
  t.after(() => simulator.close());
  const home = await tempDir(t);
  const dir = await tempDir(t);
  const paths = await makeImages(dir, JOBS, { size: 512 });
  const settings = memorySettings({ ...DEFAULT_SETTINGS, outputDir: join(dir, 'out') });
  const open = async (): Promise<Engine> => {
    const engine = await createEngine({
      home,
      version: '0.0.0-test',
      command: 'GenQueue app',
      settings,
      secrets: memorySecrets(simulator.apiKey),
      baseUrl: simulator.url,
      timing: { minPollMs: 50, backoff: { baseMs: 50, capMs: 500 } },
    });
    await engine.start();
    return engine;
  };

  const first = await open();
  await first.handlers['jobs.enqueue']({ paths });
  // Quit once some task is running at APIMart and some jobs have not got that far.
  await until(async () => {
    const { jobs } = await first.handlers['jobs.list']({ limit: 100 });
    return jobs.some((job) => job.taskId) && jobs.some((job) => !job.taskId);
  }, 'a task running at APIMart beside jobs not that far yet');
  const started = performance.now();
  const stopping = first.stop();
  const quit = await stopWithin(() => stopping, QUIT_DEADLINE_MS);
  t.diagnostic(
    `engine.stop() with ${JOBS} jobs in flight: ${quit.outcome} after ${Math.round(performance.now() - started)} ms`,
  );
  assert.notEqual(quit.outcome, 'failed', quit.outcome === 'failed' ? String(quit.error) : '');
  await stopping;

  const second = await open();
  t.after(() => second.stop());
  assert.equal(await second.settled(), 'idle');
  const { jobs, total } = await second.handlers['jobs.list']({ limit: 100 });
  assert.equal(total, JOBS);
  // A create-task request cut off by the quit may have been billed: that job waits for a person
  // (ambiguous) instead of being sent again. Every other job is done; none failed or vanished.
  assert.deepEqual(
    jobs.filter((job) => job.stage !== 'done' && job.stage !== 'ambiguous').map((job) => job.stage),
    [],
  );
  const done = jobs.filter((job) => job.stage === 'done');
  assert.equal(new Set(done.map((job) => job.taskId)).size, done.length);
  assert.equal(simulator.stats().duplicateSubmissions, 0, 'a task was paid for twice');
  t.diagnostic(`after the restart: ${done.length} done, ${JOBS - done.length} ambiguous`);
});
