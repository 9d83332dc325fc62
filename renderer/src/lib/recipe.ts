// Recipes as the window edits them: the catalogue decides which sizes, resolutions and counts a
// model takes, so switching model keeps what still fits and drops what does not, and a recipe
// is summed up in one short line wherever it is shown.
import { checkRecipe, findModel } from '../../../main/contract/catalogue.ts';
import type { Recipe } from '../../../main/contract/schemas.ts';

/** A recipe without its output folder: what the recipe bar, settings and forms edit. */
export type EditableRecipe = Omit<Recipe, 'outDir'>;

/** The editable part of a job's recipe (its output folder stays with the job). */
export function editableRecipe(recipe: Recipe): EditableRecipe {
  const { model, prompt, size, resolution, n } = recipe;
  return {
    model,
    prompt,
    ...(size && { size }),
    ...(resolution && { resolution }),
    ...(n !== undefined && { n }),
  };
}

export function withModel(recipe: EditableRecipe, model: string): EditableRecipe {
  const info = findModel(model);
  const next: EditableRecipe = { model, prompt: recipe.prompt };
  if (!info) return { ...recipe, model };
  if (recipe.size && info.sizes.includes(recipe.size)) next.size = recipe.size;
  if (recipe.resolution && info.resolutions.includes(recipe.resolution))
    next.resolution = recipe.resolution;
  if (recipe.n !== undefined) next.n = Math.min(info.n.max, Math.max(info.n.min, recipe.n));
  return next;
}

/** Why this recipe cannot work for a job with one source image, or undefined. */
export function recipeProblem(recipe: EditableRecipe): string | undefined {
  if (!recipe.prompt.trim()) return 'Write a prompt first.';
  return checkRecipe(recipe, 1);
}

export function modelLabel(model: string): string {
  return findModel(model)?.label ?? model;
}

export function recipeSummary(recipe: EditableRecipe): string {
  return [
    modelLabel(recipe.model),
    recipe.size,
    recipe.resolution,
    recipe.n && recipe.n > 1 ? `×${recipe.n}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}
