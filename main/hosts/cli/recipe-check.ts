// A recipe the model cannot take (an unknown size or resolution, more images than it makes per
// request) is a usage mistake: the command refuses it up front, in the catalogue's own sentence,
// instead of queueing jobs that would each fail at submit.
import { checkRecipe } from '../../contract/catalogue.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import type { Engine } from '../../engine/engine.ts';
import { call } from './open-engine.ts';
import { UsageError } from './usage.ts';

export async function refuseUnfitRecipe(engine: Engine, patch: RecipePatch): Promise<void> {
  const { defaultRecipe } = await call(engine, 'settings.get', {});
  const refusal = checkRecipe({ ...defaultRecipe, ...patch }, 1);
  if (refusal) throw new UsageError(refusal);
}
