// The `net.status` snapshot against a real engine and the simulator: what a window opened at any
// moment asks first, so it can say "offline" (and when the next check is) before any event comes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestEngine, tempDir } from '../support/engine-harness.ts';
import { makeImages } from '../support/images.ts';
import { until } from '../support/until.ts';

test('net.status says online, then offline with the next check, then online again', async (t) => {
  const gq = await startTestEngine(t);
  assert.equal((await gq.call('net.status', {})).state, 'online');

  gq.simulator.setFaults({ offline: true });
  const dir = await tempDir(t);
  await gq.call('jobs.enqueue', { paths: await makeImages(dir, 1), recipe: { outDir: dir } });
  await until(async () => (await gq.call('net.status', {})).state === 'offline', 'offline');
  const offline = await gq.call('net.status', {});
  assert.ok(offline.nextProbeAt !== undefined && offline.nextProbeAt >= offline.since);
  assert.equal((await gq.call('queue.stats', {})).paused, 'offline');

  gq.simulator.setFaults({ offline: false });
  await until(async () => (await gq.call('net.status', {})).state === 'online', 'back online');
  assert.ok((await gq.call('net.status', {})).since >= offline.since);
});
