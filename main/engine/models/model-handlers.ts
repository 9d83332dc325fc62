// The engine's side of models.list, and the one check every way of queueing passes through: a
// recipe the model's schema (or the built-in table) refuses is an invalid_recipe before anything
// is prepared or uploaded, said in the sentence the CLI and the window show too.
import type { Handlers } from '../../contract/dispatch.ts';
import { fail } from '../../contract/errors.ts';
import { fitToModel } from '../../contract/recipe-fit.ts';
import type { Recipe } from '../../contract/schemas.ts';
import type { ModelCatalogue } from './model-catalogue.ts';

/** How long models.list with `fresh` waits for APIMart before answering with what it has. */
const FRESH_WAIT_MS = 8000;

export function createModelHandlers(models: ModelCatalogue): Pick<Handlers, 'models.list'> {
  return {
    'models.list': async ({ fresh }) => {
      if (fresh) await models.ensureFresh(FRESH_WAIT_MS);
      return models.list();
    },
  };
}

/**
 * The recipe as the model takes it (options typed by its fields: "80" → 80), or an invalid_recipe
 * failure naming the field, the value and what is allowed. Judged for a job with one image.
 */
export function fitRecipe(models: ModelCatalogue, recipe: Recipe): Recipe {
  const fitted = fitToModel(recipe, models.lookup(recipe.model));
  if (fitted.refusal !== undefined) fail('invalid_recipe', fitted.refusal);
  return fitted.recipe;
}
