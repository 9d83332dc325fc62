// The window's number wording: counts are written as `toLocaleString('en')` would write them,
// without the Intl call that costs the first render its locale data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatCount, plural } from '../../../../renderer/src/lib/format.ts';

test('formatCount writes any integer as English locale formatting does', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e12, max: 1e12 }), (count) => {
      assert.equal(formatCount(count), count.toLocaleString('en'));
    }),
  );
  assert.equal(formatCount(10_000), '10,000');
  assert.equal(formatCount(999), '999');
});

test('plural counts with separators and picks the noun', () => {
  assert.equal(plural(1, 'job'), '1 job');
  assert.equal(plural(12_345, 'job'), '12,345 jobs');
  assert.equal(plural(2, 'match', 'matches'), '2 matches');
});
