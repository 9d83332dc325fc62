// The estimate's sentence and sums: known prices times counts, an unknown price said as such,
// and a mix of both; dollars written the one way every host shows them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPrice, formatUsd } from '../../../../main/contract/money.ts';
import { estimateOf } from '../../../../main/engine/money/estimate.ts';
import type { KnownPrice } from '../../../../main/engine/money/prices.ts';

const price = (usd: number): KnownPrice => ({
  micros: Math.round(usd * 1e6),
  source: 'reported',
  learnedAt: Date.UTC(2026, 4, 3),
});

test('a known price: "≈ $0.42 for 20 images", from exact micro-dollar sums', () => {
  const estimate = estimateOf([{ recipe: { model: 'm' }, count: 20 }], () => price(0.021));
  assert.equal(estimate.text, '≈ $0.42 for 20 images');
  assert.equal(estimate.usd, 0.42);
  assert.equal(estimate.perImageUsd, 0.021);
  assert.match(estimate.source ?? '', /^learned \d+ May from APIMart's reported cost$/);
});

test('an unknown price: "price known after the first image", no sum', () => {
  const estimate = estimateOf([{ recipe: { model: 'm' }, count: 3 }], () => undefined);
  assert.equal(estimate.text, 'price known after the first image');
  assert.equal(estimate.usd, null);
  assert.equal(estimate.unpriced, 3);
});

test('some known, some not; one image; none yet (the price of one)', () => {
  const lookup = (recipe: { model: string }) => (recipe.model === 'a' ? price(0.05) : undefined);
  const mixed = estimateOf(
    [
      { recipe: { model: 'a' }, count: 2 },
      { recipe: { model: 'b' }, count: 1 },
    ],
    lookup,
  );
  assert.equal(
    mixed.text,
    '≈ $0.10 for 2 images; the other 1 image: price known after the first image',
  );
  assert.equal(
    estimateOf([{ recipe: { model: 'a' }, count: 1 }], lookup).text,
    '≈ $0.05 for 1 image',
  );
  assert.equal(
    estimateOf([{ recipe: { model: 'a' }, count: 0 }], lookup).text,
    '≈ $0.05 per image',
  );
});

test('dollars: cents, and four decimals below a cent', () => {
  assert.equal(formatUsd(0.42), '$0.42');
  assert.equal(formatUsd(12), '$12.00');
  assert.equal(formatUsd(0.0085), '$0.0085');
  assert.equal(formatUsd(0.005), '$0.005');
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatPrice(0.021), '$0.021');
  assert.equal(formatPrice(0.02), '$0.02');
  assert.equal(formatPrice(0.0085), '$0.0085');
  assert.equal(formatPrice(1.5), '$1.50');
});
