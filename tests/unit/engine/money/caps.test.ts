// The cap rules as judgeCaps() reads them: exact to the micro-dollar, the tightest cap named in
// the sentence, one task for a price not known yet and a wait for the rest of its shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeCaps, type CapLimit } from '../../../../main/engine/money/caps.ts';

const cap = (scope: CapLimit['scope'], usd: number, committedUsd: number): CapLimit => ({
  scope,
  capMicros: Math.round(usd * 1e6),
  committedMicros: Math.round(committedUsd * 1e6),
});

test('no cap: every task goes', () => {
  assert.deepEqual(judgeCaps(undefined, [], true), { kind: 'go' });
  assert.deepEqual(judgeCaps(5_000_000, [], false), { kind: 'go' });
});

test('a known price goes while it fits exactly, and is held a cent past the cap', () => {
  assert.equal(judgeCaps(20_000, [cap('run', 0.2, 0.18)], false).kind, 'go', '0.18 + 0.02 = 0.20');
  const held = judgeCaps(20_000, [cap('run', 0.2, 0.19)], false);
  assert.equal(held.kind, 'hold');
  assert.deepEqual(held.kind === 'hold' && held.hold, {
    scope: 'run',
    capUsd: 0.2,
    reason:
      "Held at this run's $0.20 cap: $0.19 is spent or under way, and this image costs ≈ $0.02. Raise the cap to release it.",
  });
});

test('every cap must allow the task: the first it would pass holds it', () => {
  const limits = [cap('run', 10, 1), cap('day', 5, 4.99), cap('folder', 1, 0)];
  const held = judgeCaps(20_000, limits, false);
  assert.equal(held.kind === 'hold' && held.hold.scope, 'day');
  assert.match(held.kind === 'hold' ? held.hold.reason : '', /^Held at today's \$5\.00 cap/);
  const folder = judgeCaps(20_000, [cap('folder', 0.01, 0)], false);
  assert.match(folder.kind === 'hold' ? folder.hold.reason : '', /this folder's \$0\.01 daily cap/);
});

test('an unknown price: one task while the cap is not reached, then the rest wait for its price', () => {
  assert.equal(judgeCaps(undefined, [cap('day', 1, 0.5)], false).kind, 'go', 'the first one goes');
  const waiting = judgeCaps(undefined, [cap('day', 1, 0.5)], true);
  assert.equal(waiting.kind === 'hold' && waiting.hold.scope, 'price');
  assert.match(
    waiting.kind === 'hold' ? waiting.hold.reason : '',
    /^Waiting for the first image of this recipe to say its price/,
  );
  const full = judgeCaps(undefined, [cap('day', 1, 1)], false);
  assert.equal(
    full.kind === 'hold' && full.hold.scope,
    'day',
    'a reached cap holds even an unknown price',
  );
});
