import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter } from '../../../../main/engine/preflight/limiter.ts';

test('never runs more than its limit at once, and runs everything', async () => {
  const limiter = createLimiter(2);
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 9 }, (_, i) =>
      limiter
        .run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setImmediate(resolve));
          active -= 1;
          if (i === 4) throw new Error('one fails');
          return i;
        })
        .catch(() => -1),
    ),
  );
  assert.equal(peak, 2);
  assert.deepEqual(results, [0, 1, 2, 3, -1, 5, 6, 7, 8]);
});
