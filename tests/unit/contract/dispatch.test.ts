import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dispatch, type Handlers } from '../../../main/contract/dispatch.ts';
import { EngineErrorSchema, fail } from '../../../main/contract/errors.ts';
import { ROUTE_NAMES } from '../../../main/contract/routes.ts';
import { createHandlers } from '../../../main/engine/handlers.ts';

// Handlers that record what reached them; the dispatcher is what is under test.
function recordingHandlers(seen: unknown[]): Handlers {
  return Object.fromEntries(
    ROUTE_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        seen.push({ name, input });
        if (name === 'key.test') fail('auth', 'APIMart refused the key.', { pause: 'auth' });
        if (name === 'app.info') throw new TypeError('boom');
        return null;
      },
    ]),
  ) as unknown as Handlers;
}

test('the engine implements a handler for every declared route, and nothing else', () => {
  const handlers = createHandlers({} as Parameters<typeof createHandlers>[0]);
  assert.deepEqual(Object.keys(handlers).sort(), [...ROUTE_NAMES].sort());
});

test('an unknown route is refused with an EngineError and reaches no handler', async () => {
  const seen: unknown[] = [];
  for (const name of ['jobs.explode', '', 42, null, '__proto__', 'constructor', 'toString']) {
    const result = await dispatch(recordingHandlers(seen), name, {});
    assert.equal(result.ok, false);
    assert.ok(!result.ok && EngineErrorSchema.safeParse(result.error).success);
    assert.equal(!result.ok && result.error.code, 'unknown_route');
  }
  assert.deepEqual(seen, []);
});

test('invalid input is refused with a sentence naming the field, and reaches no handler', async () => {
  const seen: unknown[] = [];
  const cases: [string, unknown][] = [
    ['jobs.enqueue', { paths: [] }],
    ['jobs.enqueue', { paths: 'not-a-list' }],
    ['jobs.enqueue', { paths: ['/a.jpg'], recipe: { n: '2' } }],
    ['jobs.enqueue', { paths: ['/a.jpg'], extra: true }],
    ['jobs.list', { limit: 1e9 }],
    ['settings.update', { concurrency: { prepare: -1 } }],
    ['settings.update', { baseUrl: 'javascript:alert(1)' }],
    ['key.set', { key: 'short' }],
    ['jobs.cancel', 'everything'],
  ];
  for (const [name, input] of cases) {
    const result = await dispatch(recordingHandlers(seen), name, input);
    assert.equal(result.ok, false, `${name} ${JSON.stringify(input)} was accepted`);
    assert.equal(!result.ok && result.error.code, 'bad_input');
    assert.match(
      !result.ok ? result.error.message : '',
      new RegExp(`^The request ${name.replace('.', '\\.')} was refused: `),
    );
  }
  assert.deepEqual(seen, []);
});

test('valid input reaches the handler; failures come back as EngineErrors, never as throws', async () => {
  const seen: unknown[] = [];
  const handlers = recordingHandlers(seen);
  assert.deepEqual(await dispatch(handlers, 'queue.stats', undefined), { ok: true, value: null });
  const refused = await dispatch(handlers, 'key.test', {});
  assert.deepEqual(refused, {
    ok: false,
    error: { code: 'auth', message: 'APIMart refused the key.', retryable: false, pause: 'auth' },
  });
  const crashed = await dispatch(handlers, 'app.info', {});
  assert.equal(!crashed.ok && crashed.error.code, 'internal');
  assert.match(!crashed.ok ? crashed.error.message : '', /boom/);
  assert.equal(seen.length, 3);
});
