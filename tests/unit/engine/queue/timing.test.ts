import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attemptBudget, backoffDelay } from '../../../../main/engine/queue/backoff.ts';
import { createPollWheel } from '../../../../main/engine/queue/poll-wheel.ts';
import { createRateGovernor } from '../../../../main/engine/queue/rate-governor.ts';
import { nextPollDelay } from '../../../../main/engine/queue/stages.ts';

test('backoff is full jitter under an exponential ceiling that stops at the cap', () => {
  const policy = { baseMs: 100, capMs: 1000 };
  assert.equal(
    backoffDelay(1, policy, () => 1),
    100,
  );
  assert.equal(
    backoffDelay(3, policy, () => 1),
    400,
  );
  assert.equal(
    backoffDelay(10, policy, () => 1),
    1000,
  );
  assert.equal(
    backoffDelay(10, policy, () => 0),
    0,
  );
  assert.ok(attemptBudget('rate_limited') > attemptBudget('server'));
});

test('the poll wheel fires each job once at its time, earliest first, and honours cancel and reschedule', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const fired: string[] = [];
  const wheel = createPollWheel((ids) => fired.push(...ids));
  const now = Date.now();
  wheel.schedule('late', now + 60);
  wheel.schedule('early', now + 10);
  wheel.schedule('gone', now + 20);
  wheel.schedule('moved', now + 5);
  wheel.schedule('moved', now + 40);
  wheel.cancel('gone');
  t.mock.timers.tick(120);
  assert.deepEqual(fired, ['early', 'moved', 'late']);
  assert.equal(wheel.size, 0);
  wheel.close();
});

test('after a 429 the governor holds every caller until Retry-After passes and halves concurrency, then recovers', async () => {
  const governor = createRateGovernor({ successesPerStep: 2 });
  assert.equal(governor.limit(8), 8);
  governor.onRateLimited(80);
  assert.equal(governor.limit(8), 4);
  const started = Date.now();
  await governor.waitTurn();
  assert.ok(Date.now() - started >= 70, 'waited out the window');
  for (let i = 0; i < 20; i++) governor.onSuccess();
  assert.equal(governor.limit(8), 8);
});

test('polls follow the estimate while it lasts and never come faster than the minimum', () => {
  assert.equal(nextPollDelay(1000, 20, 0), 10_000);
  assert.equal(nextPollDelay(1000, 20, 95), 1000);
  assert.equal(nextPollDelay(1000, 600, 0), 30_000);
  assert.equal(nextPollDelay(1000, undefined, 0, Date.now()), 1000);
  assert.equal(nextPollDelay(1000, undefined, 0, Date.now() - 600_000), 30_000);
});
