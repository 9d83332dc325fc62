// What the recipe bar says about money: the price of one image with this recipe, and what the
// images already waiting in the queue will cost ("≈ $0.42 for 20 images waiting in the queue"),
// or that the price is known after the first image. Live as the queue teaches prices.
import type { Estimate } from '../../../main/contract/money.ts';
import { useApp } from '../hooks/use-app.ts';
import { useEstimate } from '../hooks/use-estimate.ts';
import { priceShapeOf } from '../lib/money.ts';
import type { EditableRecipe } from '../lib/recipe.ts';
import { Icon } from './Icon.tsx';

function sentence(one: Estimate | null, waiting: Estimate | null): string | null {
  if (!one) return null;
  const each = one.perImageUsd === null ? 'Price known after the first image' : one.text;
  if (!waiting || waiting.images === 0) return each;
  return `${each} · ${waiting.text} waiting in the queue`;
}

export function EstimateNote({ recipe }: { recipe: EditableRecipe }) {
  const { client } = useApp();
  const one = useEstimate(client, { recipe: priceShapeOf(recipe), count: 0 });
  const waiting = useEstimate(client, { queued: true });
  const text = sentence(one, waiting);
  if (!text) return null;
  return (
    <p className="estimate-note" data-testid="estimate" title={one?.source ?? undefined}>
      <Icon name="wallet" size={14} /> {text}
    </p>
  );
}
