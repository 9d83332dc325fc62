// "Edit and retry": a recipe in editable fields; submitting retries the jobs with the changed
// recipe (jobs.retry with a recipe patch). For one failed job in the details panel, or for a whole
// group of failures; inline, never a modal.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Recipe } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { batchStarted } from '../hooks/use-batch-toasts.ts';
import { useModels } from '../hooks/use-models.ts';
import { editableRecipe, recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { FieldError } from './FieldError.tsx';
import { RecipeFields } from './RecipeFields.tsx';

interface Props {
  ids: string[];
  /** The recipe the fields start from (the job's, or the group's first job's). */
  recipe: Recipe;
  /** The toast once the jobs are queued again. */
  success: string;
  onDone: () => void;
}

export function EditRetryForm({ ids, recipe: initial, success, onDone }: Props) {
  const { client, act, toasts } = useApp();
  const [recipe, setRecipe] = useState<EditableRecipe>(() => editableRecipe(initial));
  const problem = recipeProblem(recipe, useModels().info(recipe.model));
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.scrollIntoView({ block: 'nearest' });
    form.current?.querySelector('textarea')?.focus();
  }, []);
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const ok = await act(async () => {
      await client.call('jobs.retry', { ids, recipe });
      batchStarted(toasts, success);
    });
    if (ok) onDone();
  }
  return (
    <form ref={form} className="edit-retry" aria-label="Edit and retry" onSubmit={submit}>
      <h3>Edit and retry</h3>
      <RecipeFields value={recipe} onChange={setRecipe} />
      <FieldError message={problem} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={Boolean(problem)}>
          Retry with this recipe
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
