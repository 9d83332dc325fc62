// Money as the window asks about it: the part of a recipe a price depends on (model, size,
// resolution, n), so every estimate the window requests is keyed the same way.
import type { RecipePatch } from '../../../main/contract/schemas.ts';
import type { EditableRecipe } from './recipe.ts';

export function priceShapeOf(recipe: EditableRecipe): RecipePatch {
  const { model, size, resolution, n } = recipe;
  return {
    model,
    ...(size && { size }),
    ...(resolution && { resolution }),
    ...(n && { n }),
  };
}
