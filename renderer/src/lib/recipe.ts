// Recipes as the window edits them: the model's entry (its live schema, or the built-in table)
// decides which sizes, resolutions, counts and options it takes, so switching model keeps what
// still fits and drops what does not, and a recipe is summed up in one short line wherever shown.
import { findModel } from '../../../main/contract/catalogue.ts';
import {
  fieldOf,
  fieldTakes,
  imagesPerRequest,
  type ModelInfo,
} from '../../../main/contract/model-info.ts';
import { fitToModel } from '../../../main/contract/recipe-fit.ts';
import type { Recipe } from '../../../main/contract/schemas.ts';

/** A recipe without its output folder: what the recipe bar, settings and forms edit. */
export type EditableRecipe = Omit<Recipe, 'outDir'>;

/** The editable part of a job's recipe (its output folder stays with the job). */
export function editableRecipe(recipe: Recipe): EditableRecipe {
  const { model, prompt, size, resolution, n, options } = recipe;
  return {
    model,
    prompt,
    ...(size && { size }),
    ...(resolution && { resolution }),
    ...(n !== undefined && { n }),
    ...(options && Object.keys(options).length > 0 && { options }),
  };
}

/** The recipe for another model: what the new model (`info`) still takes is kept. */
export function withModel(
  recipe: EditableRecipe,
  model: string,
  info: ModelInfo | undefined,
): EditableRecipe {
  if (!info) return { ...recipe, model };
  const next: EditableRecipe = { model, prompt: recipe.prompt };
  const takes = (name: string, value: string | number | boolean): boolean => {
    const field = fieldOf(info, name);
    return field !== undefined && fieldTakes(field, value);
  };
  if (recipe.size && takes('size', recipe.size)) next.size = recipe.size;
  if (recipe.resolution && takes('resolution', recipe.resolution))
    next.resolution = recipe.resolution;
  if (recipe.n !== undefined) {
    const { min, max } = imagesPerRequest(info);
    next.n = Math.min(max, Math.max(min, recipe.n));
  }
  const kept = Object.entries(recipe.options ?? {}).filter(([name, value]) => takes(name, value));
  if (kept.length > 0) next.options = Object.fromEntries(kept);
  return next;
}

/** Why this recipe cannot work for a job with one source image (judged by `info`), or undefined. */
export function recipeProblem(
  recipe: EditableRecipe,
  info: ModelInfo | undefined,
): string | undefined {
  if (!recipe.prompt.trim()) return 'Write a prompt first.';
  return fitToModel(recipe, info).refusal;
}

export function modelLabel(model: string, info: ModelInfo | undefined = findModel(model)): string {
  return info?.label ?? model;
}

export function recipeSummary(recipe: EditableRecipe, info?: ModelInfo): string {
  return [
    modelLabel(recipe.model, info),
    recipe.size,
    recipe.resolution,
    recipe.n && recipe.n > 1 ? `×${recipe.n}` : undefined,
    ...Object.entries(recipe.options ?? {}).map(([name, value]) => `${name} ${String(value)}`),
  ]
    .filter(Boolean)
    .join(' · ');
}
