import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter, mapLimit } from '../../../../main/engine/util/limit.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a limiter never runs more than its limit at once, and runs everything', async () => {
  const limiter = createLimiter(3);
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      limiter.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await tick();
        active--;
        return i;
      }),
    ),
  );
  assert.equal(peak, 3);
  assert.deepEqual(
    results,
    Array.from({ length: 40 }, (_, i) => i),
  );
});

test('a failing call gives its slot back', async () => {
  const limiter = createLimiter(1);
  await assert.rejects(limiter.run(async () => Promise.reject(new Error('no'))));
  assert.equal(await limiter.run(async () => 'next'), 'next');
});

test('a call arriving just after a release waits its turn: never two at limit 1', async () => {
  const limiter = createLimiter(1);
  let active = 0;
  let peak = 0;
  const tracked = () =>
    limiter.run(async () => {
      peak = Math.max(peak, ++active);
      await tick();
      active--;
    });
  let release = (): void => {};
  const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
  const calls = [first, tracked()];
  release();
  // One of these lands between the first call's release and the waiter taking its slot.
  for (let depth = 0; depth < 12; depth++) {
    await Promise.resolve();
    calls.push(tracked());
  }
  await Promise.all(calls);
  assert.equal(peak, 1);
});

test('mapLimit visits every item once with bounded concurrency', async () => {
  const seen: number[] = [];
  let active = 0;
  let peak = 0;
  await mapLimit([...Array(25).keys()], 4, async (n) => {
    active++;
    peak = Math.max(peak, active);
    await tick();
    seen.push(n);
    active--;
  });
  assert.equal(peak, 4);
  assert.deepEqual(
    seen.sort((a, b) => a - b),
    [...Array(25).keys()],
  );
});
