// The queue-wide pause on its own: a refusal pauses only when it answers a request sent since the
// latest resume or key change, and every change is told, with whether the queue may go on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineError } from '../../../../main/contract/errors.ts';
import { createPauseState } from '../../../../main/engine/queue/pause-state.ts';

const refused = engineError('auth', 'The key was refused.', { pause: 'auth' });

test('a refusal pauses; one sent before the latest resume or key change is old news', () => {
  const told: boolean[] = [];
  const pause = createPauseState((resumed) => told.push(resumed));
  const sent = pause.epoch;
  assert.equal(pause.pauseFor(refused, sent), true);
  assert.equal(pause.current?.reason, 'auth');
  pause.set(null);
  assert.equal(pause.pauseFor(refused, sent), true, 'still an error that pauses…');
  assert.equal(pause.current, null, '…but sent before the resume: no pause again');
  const again = pause.epoch;
  pause.keyChanged();
  assert.equal(pause.pauseFor(refused, again), true);
  assert.equal(pause.current, null, 'sent with the old key');
  assert.deepEqual(told, [false, true]);
});

test('network and offline errors never pause here; a key change ends only an auth pause', () => {
  const pause = createPauseState(() => undefined);
  const network = engineError('network', 'reset', { pause: 'offline' });
  assert.equal(pause.pauseFor(network, pause.epoch), false);
  pause.set({ reason: 'balance', message: 'No balance.' });
  pause.keyChanged();
  assert.equal(pause.current?.reason, 'balance');
  pause.set({ reason: 'auth', message: 'No key.' });
  pause.keyChanged();
  assert.equal(pause.current, null);
});
