// What a batch will cost before anything is uploaded: the count of source images times the price
// of one task of their recipe, in the one sentence every host shows ("≈ $0.42 for 20 images", or
// "price known after the first image" while GenQueue has not learned it).
import {
  formatPrice,
  formatUsd,
  fromMicros,
  PRICE_UNKNOWN_TEXT,
  type Estimate,
} from '../../contract/money.ts';
import type { Recipe } from '../../contract/schemas.ts';
import { describePrice, type KnownPrice } from './prices.ts';

export interface EstimateGroup {
  recipe: Pick<Recipe, 'model' | 'resolution' | 'size' | 'n'>;
  count: number;
}

const images = (count: number): string => `${count} image${count === 1 ? '' : 's'}`;

export function estimateOf(
  groups: readonly EstimateGroup[],
  lookup: (recipe: EstimateGroup['recipe']) => KnownPrice | undefined,
): Estimate {
  let total = 0;
  let micros = 0;
  let unpriced = 0;
  let first: KnownPrice | undefined;
  for (const group of groups) {
    const price = lookup(group.recipe);
    first ??= price;
    total += group.count;
    if (price === undefined) unpriced += group.count;
    else micros += price.micros * group.count;
  }
  const only = groups.length === 1 ? first : undefined;
  const priced = total - unpriced;
  const sum = formatUsd(fromMicros(micros));
  let text: string;
  if (total === 0)
    text = only ? `≈ ${formatPrice(fromMicros(only.micros))} per image` : PRICE_UNKNOWN_TEXT;
  else if (priced === 0) text = PRICE_UNKNOWN_TEXT;
  else if (unpriced > 0)
    text = `≈ ${sum} for ${images(priced)}; the other ${images(unpriced)}: ${PRICE_UNKNOWN_TEXT}`;
  else text = `≈ ${sum} for ${images(total)}`;
  return {
    images: total,
    usd: total > 0 && priced === 0 ? null : fromMicros(micros),
    perImageUsd: only ? fromMicros(only.micros) : null,
    source: first ? describePrice(first) : null,
    unpriced,
    text,
  };
}
