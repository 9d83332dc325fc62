// A recipe the model cannot take (a size or resolution outside its schema, more images than it
// makes per request, an option it does not have) is a usage mistake: the command refuses it up
// front, in the same sentence the engine would use, before anything is queued or uploaded. The
// model's options come from APIMart's live schema when it can be read, the built-in table if not.
import { modelIn } from '../../contract/catalogue.ts';
import { fitToModel } from '../../contract/recipe-fit.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import type { Engine } from '../../engine/engine.ts';
import { call } from './open-engine.ts';
import { UsageError } from './usage.ts';

export async function refuseUnfitRecipe(engine: Engine, patch: RecipePatch): Promise<void> {
  const { defaultRecipe } = await call(engine, 'settings.get', {});
  const { models } = await call(engine, 'models.list', { fresh: true });
  const recipe = { ...defaultRecipe, ...patch };
  const { refusal } = fitToModel(recipe, modelIn(models, recipe.model));
  if (refusal) throw new UsageError(refusal);
}
