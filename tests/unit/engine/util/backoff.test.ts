import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exponentialDelay } from '../../../../main/engine/util/backoff.ts';

test('the delay doubles from its base at every retry and stops at the cap', () => {
  const delays = [0, 1, 2, 3, 4, 5].map((retry) => exponentialDelay(retry, 1000, 10_000));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('a negative retry waits the base, and an uncapped delay keeps doubling', () => {
  assert.equal(exponentialDelay(-1, 250, 10_000), 250);
  assert.equal(exponentialDelay(10, 1, Infinity), 1024);
});
