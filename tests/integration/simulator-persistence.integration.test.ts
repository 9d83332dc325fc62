// A simulator started again on the data directory of an earlier one (closed cleanly, or left
// running as if killed) carries on: its tasks finish, its uploads download by their old URL path
// and feed new tasks, its idempotency keys replay; startForTrying comes back on the same port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import sharp from 'sharp';
import {
  RESPONSE_VERSION,
  startForTrying,
  startSimulator,
  type Simulator,
} from '../../main/simulator/simulator.ts';
import { call, postTask, uploadUrl, waitForTask } from '../support/simulator-harness.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const HEADERS = { 'idempotency-key': 'resume-1', 'x-apimart-response-version': RESPONSE_VERSION };

async function dataDirFor(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sim-persist-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function started(t: TestContext, dataDir: string): Promise<Simulator> {
  const simulator = await startSimulator({ dataDir, taskDurationMs: 300, resultSize: 64 });
  t.after(() => simulator.close());
  return simulator;
}

/** An upload, and a keyed task made from it, on `simulator`. */
async function seed(simulator: Simulator) {
  const bytes = await sharp({
    create: { width: 40, height: 30, channels: 3, background: { r: 10, g: 120, b: 200 } },
  })
    .png()
    .toBuffer();
  const url = await uploadUrl(simulator, bytes, 'ref.png');
  const body = { model: 'm', prompt: 'resumed', image_urls: [url] };
  const response = await postTask(simulator, body, { headers: HEADERS });
  assert.equal(response.status, 200);
  const answer = (await response.json()) as { data: { id: string } };
  return { bytes, url, body, answer, id: answer.data.id };
}

/** A simulator in a child process (main.ts) on `dataDir`, which the test can SIGKILL. */
async function spawned(t: TestContext, dataDir: string) {
  const script = path.join(REPO_ROOT, 'main/simulator/main.ts');
  const child = spawn(process.execPath, [script, '--data-dir', dataDir]);
  t.after(() => child.kill('SIGKILL'));
  let printed = '';
  for await (const chunk of child.stdout) {
    printed += String(chunk);
    const url = /listening at (\S+)/.exec(printed)?.[1];
    // The harness's fetch helpers use only the URL and the key.
    if (url) return { child, simulator: { url, apiKey: 'sim-key' } as Simulator };
  }
  throw new Error(`the simulator printed no URL: ${printed}`);
}

for (const ending of ['closed cleanly', 'left running', 'killed with SIGKILL'] as const) {
  test(`a simulator started on the data directory of one ${ending} carries on`, async (t) => {
    const dataDir = await dataDirFor(t);
    const { child, simulator: first } =
      ending === 'killed with SIGKILL'
        ? await spawned(t, dataDir)
        : { child: null, simulator: await started(t, dataDir) };
    const { bytes, url, body, answer, id } = await seed(first);
    if (ending === 'closed cleanly') await first.close();
    if (child) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }

    const second = await started(t, dataDir);
    const done = await waitForTask(second, id);
    assert.equal(done.status, 'completed');
    const result = await fetch(String(done.result?.images[0]?.url));
    assert.equal(result.status, 200);
    assert.equal((await sharp(Buffer.from(await result.arrayBuffer())).metadata()).format, 'png');

    const download = await fetch(`${second.url}${new URL(url).pathname}`);
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);

    const replay = await postTask(second, body, { headers: HEADERS });
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get('idempotency-replayed'), 'true');
    assert.deepEqual(await replay.json(), answer);

    // The old upload URL (the first simulator's port) still feeds a new task.
    assert.equal((await postTask(second, { ...body, prompt: 'a new picture' })).status, 200);
    assert.equal((await postTask(second, body)).status, 200, 'unkeyed: a new task');
    const stats = second.stats();
    assert.equal(stats.tasks.length, 2);
    assert.equal(stats.replays, 1);
    assert.equal(stats.duplicateSubmissions, 1, 'the same body as the earlier run is a duplicate');
  });
}

test('the journal is plain JSON lines, one per upload and task; unknown tasks stay unknown', async (t) => {
  const dataDir = await dataDirFor(t);
  const first = await started(t, dataDir);
  const { id } = await seed(first);
  await first.close();
  const lines = (await readFile(path.join(dataDir, 'journal.jsonl'), 'utf8')).trim().split('\n');
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { kind: string }).kind),
    ['upload', 'task'],
  );
  const second = await started(t, dataDir);
  assert.equal((await call(second, `/v1/tasks/${id}`)).status, 200);
  assert.equal((await call(second, '/v1/tasks/task_01NEVER')).status, 404);
});

test('startForTrying keeps its data and comes back on the same port when it is free', async (t) => {
  const dataDir = await dataDirFor(t);
  const first = await startForTrying({ dataDir });
  await first.close();
  const second = await startForTrying({ dataDir });
  t.after(() => second.close());
  assert.equal(second.url, first.url);
  const busy = await startForTrying({ dataDir });
  t.after(() => busy.close());
  assert.notEqual(busy.url, second.url, 'the port is taken: any free one');
  assert.equal((await call(busy, '/v1/balance')).status, 200);
});
