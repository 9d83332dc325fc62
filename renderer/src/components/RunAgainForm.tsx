// "Run again with another prompt": the same source queued once more (forced, since the source is
// already done) with the recipe as edited here. The first result stays where it is.
import { useState, type FormEvent } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { useModels } from '../hooks/use-models.ts';
import { editableRecipe, recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { FieldError } from './FieldError.tsx';
import { RecipeFields } from './RecipeFields.tsx';

export function RunAgainForm({ job }: { job: JobView }) {
  const { client, act } = useApp();
  const [recipe, setRecipe] = useState<EditableRecipe>(() => editableRecipe(job.recipe));
  const problem = recipeProblem(recipe, useModels().info(recipe.model));
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void act(
      () =>
        client.call('jobs.enqueue', {
          paths: [job.source],
          force: true,
          recipe: { ...recipe, ...(job.recipe.outDir && { outDir: job.recipe.outDir }) },
        }),
      `${job.name} is queued again.`,
    );
  };
  return (
    <form className="run-again" aria-label="Run again" onSubmit={submit}>
      <RecipeFields value={recipe} onChange={setRecipe} />
      <FieldError message={problem} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={Boolean(problem)}>
          Run again
        </button>
      </div>
    </form>
  );
}
