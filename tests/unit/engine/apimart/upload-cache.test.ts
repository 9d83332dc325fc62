// The upload reuse cache on an in-memory SQLite with the real migrations: a URL is reused only for
// the same bytes and service, and only while more than the safety margin of its 72 h remains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../../main/engine/store/database.ts';
import { createUploadCache } from '../../../../main/engine/apimart/upload-cache.ts';

const HOUR = 3600 * 1000;
const record = (createdAt: number) => ({
  url: 'https://cdn/u/1.png',
  bytes: 42,
  createdAt,
  expiresAt: createdAt + 72 * HOUR,
});

test('reuses a URL while more than the margin of its 72 h remains', () => {
  const db = openDatabase(':memory:');
  const cache = createUploadCache(db);
  const createdAt = Date.parse('2030-01-01T00:00:00Z');
  cache.remember('abc', 'https://api.apimart.ai', record(createdAt));
  assert.deepEqual(
    cache.lookup('abc', 'https://api.apimart.ai', createdAt + HOUR),
    record(createdAt),
  );
  assert.ok(
    cache.lookup('abc', 'https://api.apimart.ai', createdAt + 65 * HOUR),
    'at 65 h, 7 h remain',
  );
  assert.equal(
    cache.lookup('abc', 'https://api.apimart.ai', createdAt + 66 * HOUR),
    undefined,
    'at 66 h only the margin remains',
  );
  db.close();
});

test('another service, other bytes, or a trailing slash', () => {
  const db = openDatabase(':memory:');
  const cache = createUploadCache(db);
  const now = Date.now();
  cache.remember('abc', 'https://api.apimart.ai/', record(now));
  assert.ok(
    cache.lookup('abc', 'https://api.apimart.ai', now),
    'a trailing slash is the same service',
  );
  assert.equal(cache.lookup('abc', 'http://127.0.0.1:4010', now), undefined);
  assert.equal(cache.lookup('abd', 'https://api.apimart.ai', now), undefined);
  db.close();
});

test('a newer upload of the same bytes replaces the older one; the margin is configurable', () => {
  const db = openDatabase(':memory:');
  const cache = createUploadCache(db, { safetyMarginMs: 0 });
  const first = Date.parse('2030-01-01T00:00:00Z');
  cache.remember('abc', 'b', record(first));
  cache.remember('abc', 'b', { ...record(first + 10 * HOUR), url: 'https://cdn/u/2.png' });
  assert.equal(cache.lookup('abc', 'b', first + 79 * HOUR)?.url, 'https://cdn/u/2.png');
  assert.equal(cache.lookup('abc', 'b', first + 82 * HOUR), undefined);
  db.close();
});
