import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventEnvelope } from '../../../../main/contract/events.ts';
import { createEventBus } from '../../../../main/engine/events/event-bus.ts';

test('each event name has its own version that grows by one per delivery', () => {
  const bus = createEventBus();
  const seen: EventEnvelope[] = [];
  bus.subscribe((event) => seen.push(event));
  bus.emit('notice', { level: 'info', message: 'a' });
  bus.emit('job.removed', { ids: [] });
  bus.emit('notice', { level: 'info', message: 'b' });
  assert.deepEqual(
    seen.map((e) => [e.name, e.version]),
    [
      ['notice', 1],
      ['job.removed', 1],
      ['notice', 2],
    ],
  );
  bus.close();
});

test('throttled updates for one key are coalesced to the latest payload; other keys are independent', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const bus = createEventBus(20);
  const seen: string[] = [];
  const unsubscribe = bus.subscribe(
    (event) => event.name === 'notice' && seen.push(event.payload.message),
  );
  for (let i = 0; i < 50; i++)
    bus.emitThrottled('notice', 'a', { level: 'info', message: `a${i}` });
  bus.emitThrottled('notice', 'b', { level: 'info', message: 'b0' });
  t.mock.timers.tick(120);
  assert.deepEqual(seen, ['a0', 'b0', 'a49']);
  unsubscribe();
  bus.emit('notice', { level: 'info', message: 'unheard' });
  assert.equal(seen.length, 3);
  bus.close();
});

test('a listener that throws does not stop the others', () => {
  const bus = createEventBus();
  let heard = false;
  const original = console.error;
  console.error = () => {};
  try {
    bus.subscribe(() => {
      throw new Error('bad listener');
    });
    bus.subscribe(() => (heard = true));
    bus.emit('job.removed', { ids: ['x'] });
  } finally {
    console.error = original;
  }
  assert.equal(heard, true);
  bus.close();
});

test('a newer durable update discards a pending throttled one, so an old progress never overtakes it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const bus = createEventBus(20);
  const seen: string[] = [];
  bus.subscribe((event) => event.name === 'notice' && seen.push(event.payload.message));
  bus.emitThrottled('notice', 'job', { level: 'info', message: 'progress 1' });
  bus.emitThrottled('notice', 'job', { level: 'info', message: 'progress 2 (held back)' });
  bus.discard('notice', 'job');
  bus.emit('notice', { level: 'info', message: 'stage changed' });
  t.mock.timers.tick(120);
  assert.deepEqual(seen, ['progress 1', 'stage changed']);
  bus.close();
});
