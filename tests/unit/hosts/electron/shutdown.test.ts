import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopWithin } from '../../../../main/hosts/electron/shutdown.ts';

test('reports a stop that finished', async () => {
  let stopped = false;
  const result = await stopWithin(async () => {
    stopped = true;
  }, 60_000);
  assert.deepEqual(result, { outcome: 'stopped' });
  assert.equal(stopped, true);
});

test('reports a stop that failed, sync or async, with its error', async () => {
  const error = new Error('database is locked');
  assert.deepEqual(await stopWithin(() => Promise.reject(error), 60_000), {
    outcome: 'failed',
    error,
  });
  assert.deepEqual(
    await stopWithin(() => {
      throw error;
    }, 60_000),
    { outcome: 'failed', error },
  );
});

test('gives up on a stop that never ends, so quitting cannot hang', async () => {
  const result = await stopWithin(() => new Promise(() => {}), 20);
  assert.deepEqual(result, { outcome: 'timed-out' });
});
