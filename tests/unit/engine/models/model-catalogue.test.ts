// The live model catalogue (main/engine/models/): read from APIMart's discovery routes, kept in the
// database with a TTL on a clock the test moves, refreshed when stale, and the built-in table
// whenever nothing live is known, whatever the replies look like.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { engineError, EngineFailure } from '../../../../main/contract/errors.ts';
import type { ApimartClient } from '../../../../main/engine/apimart/client.ts';
import { createCatalogueCache } from '../../../../main/engine/models/catalogue-cache.ts';
import {
  CATALOGUE_TTL_MS,
  createModelCatalogue,
} from '../../../../main/engine/models/model-catalogue.ts';
import { openDatabase } from '../../../../main/engine/store/database.ts';

const BASE = 'https://api.example.test';
const LIVE_SCHEMA = {
  properties: {
    size: { type: 'string', enum: ['square', 'wide'] },
    image_urls: { type: 'array', maxItems: 1 },
  },
};

interface FakeApimart {
  client: ApimartClient;
  reads: string[];
  /** What the next reads answer, by path (and model): text, or an error to throw. */
  answers: Map<string, string | EngineFailure>;
}

function fakeApimart(): FakeApimart {
  const reads: string[] = [];
  const answers = new Map<string, string | EngineFailure>([
    [
      '/v1/models',
      JSON.stringify({
        data: [
          { id: 'live-only-1', name: 'Live Only' },
          { id: 'gpt-image-2' },
          { id: 'chatty', type: 'chat' },
          { id: 'mystery' },
        ],
      }),
    ],
    ['/v1/model-schema?live-only-1', JSON.stringify({ input_schema: LIVE_SCHEMA })],
    ['/v1/model-schema?gpt-image-2', '<html>oops</html>'],
    [
      '/v1/model-schema?mystery',
      new EngineFailure(engineError('rejected', 'no image_generation for mystery')),
    ],
  ]);
  const client = {
    read: async (path: string, query: Record<string, string>) => {
      const key = query.model ? `${path}?${query.model}` : path;
      reads.push(key);
      const answer = answers.get(key);
      if (answer instanceof EngineFailure) throw answer;
      if (answer === undefined) throw new EngineFailure(engineError('not_found', key));
      return answer;
    },
  } as unknown as ApimartClient;
  return { client, reads, answers };
}

function setup(clock: { now: number }, api = fakeApimart(), db = openDatabase(':memory:')) {
  const changes: number[] = [];
  const catalogue = createModelCatalogue({
    cache: createCatalogueCache(db),
    client: () => api.client,
    baseUrl: () => BASE,
    now: () => clock.now,
    changed: () => changes.push(clock.now),
  });
  return { catalogue, api, db, changes };
}

describe('the live model catalogue', () => {
  test('before any refresh: the built-in table', () => {
    const { catalogue } = setup({ now: 1000 });
    const list = catalogue.list();
    assert.equal(list.source, 'built-in');
    assert.equal(list.stale, true);
    assert.equal(catalogue.lookup('gpt-image-2')?.source, 'built-in');
    assert.equal(catalogue.lookup('live-only-1'), undefined);
  });

  test('a refresh reads the list and each schema; what it learnt is judged by', async () => {
    const clock = { now: 5000 };
    const { catalogue, api, changes } = setup(clock);
    assert.equal(await catalogue.refresh(), true);
    assert.deepEqual(changes, [5000]);
    // The chat model is never asked for a schema.
    assert.ok(!api.reads.includes('/v1/model-schema?chatty'));
    const list = catalogue.list();
    assert.equal(list.source, 'live');
    assert.equal(list.fetchedAt, 5000);
    assert.deepEqual(
      list.models.map((model) => [model.id, model.source, model.label]),
      [
        ['live-only-1', 'live', 'Live Only'],
        // A garbled schema reply: the table's entry, under the list's name.
        ['gpt-image-2', 'built-in', 'GPT Image 2'],
        // Refused as not an image model, and nobody says it is one: left out.
      ],
    );
    const live = catalogue.lookup('live-only-1');
    assert.deepEqual(live?.fields, [{ name: 'size', type: 'string', choices: ['square', 'wide'] }]);
    assert.deepEqual(live?.referenceImages, { min: 0, max: 1 });
    catalogue.stop();
  });

  test('kept in the database: a restart within the TTL asks nothing; after it, it asks again', async () => {
    const clock = { now: 10_000 };
    const first = setup(clock);
    await first.catalogue.refresh();
    const api = fakeApimart();
    const second = setup(clock, api, first.db);
    clock.now += CATALOGUE_TTL_MS - 1;
    await second.catalogue.ensureFresh(1000);
    assert.equal(api.reads.length, 0, 'fresh: nothing fetched');
    assert.equal(second.catalogue.list().stale, false);
    assert.equal(second.catalogue.lookup('live-only-1')?.source, 'live');

    clock.now += 2;
    assert.equal(second.catalogue.list().stale, true);
    api.answers.set(
      '/v1/model-schema?live-only-1',
      JSON.stringify({ input_schema: { properties: { n: { type: 'integer', maximum: 2 } } } }),
    );
    await second.catalogue.ensureFresh(1000);
    assert.ok(api.reads.includes('/v1/models'));
    assert.equal(second.catalogue.list().stale, false);
    assert.deepEqual(second.catalogue.lookup('live-only-1')?.fields, [
      { name: 'n', type: 'integer', max: 2 },
    ]);
    second.catalogue.stop();
  });

  test('a failed refresh keeps what was known; offline from the start keeps the table', async () => {
    const clock = { now: 1 };
    const { catalogue, api } = setup(clock);
    await catalogue.refresh();
    api.answers.set('/v1/models', new EngineFailure(engineError('network', 'offline')));
    clock.now += CATALOGUE_TTL_MS * 2;
    assert.equal(await catalogue.refresh(), false);
    assert.equal(catalogue.lookup('live-only-1')?.source, 'live', 'stale, but still known');
    assert.equal(catalogue.list().stale, true);
    catalogue.stop();

    const offline = fakeApimart();
    offline.answers.set('/v1/models', 'not json at all');
    const fresh = setup({ now: 1 }, offline);
    assert.equal(await fresh.catalogue.refresh(), false);
    assert.equal(fresh.catalogue.list().source, 'built-in');
    fresh.catalogue.stop();
  });

  test('a schema that cannot be read now keeps the one learnt before', async () => {
    const clock = { now: 1 };
    const { catalogue, api } = setup(clock);
    await catalogue.refresh();
    api.answers.set(
      '/v1/model-schema?live-only-1',
      new EngineFailure(engineError('server', 'HTTP 503', { retryable: true })),
    );
    clock.now += CATALOGUE_TTL_MS + 1;
    assert.equal(await catalogue.refresh(), true);
    assert.equal(catalogue.lookup('live-only-1')?.source, 'live');
    catalogue.stop();
  });

  test('a garbled row in the database reads as no catalogue', () => {
    const db = openDatabase(':memory:');
    db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run(`modelCatalogue:${BASE}`, '{"x":');
    const { catalogue } = setup({ now: 1 }, fakeApimart(), db);
    assert.equal(catalogue.list().source, 'built-in');
    db.prepare('UPDATE kv SET value = ?').run(JSON.stringify({ fetchedAt: 1, models: [{}] }));
    assert.equal(setup({ now: 1 }, fakeApimart(), db).catalogue.list().source, 'built-in');
  });

  test('start() refreshes at once when nothing fresh is known, and stop() ends it', async () => {
    const clock = { now: 1 };
    const { catalogue, api } = setup(clock);
    catalogue.start();
    await catalogue.ensureFresh(1000); // joins the refresh start() began
    assert.equal(api.reads.filter((read) => read === '/v1/models').length, 1);
    assert.equal(catalogue.list().source, 'live');
    catalogue.stop();
  });
});
