// "Edit and retry": the failed job's recipe in editable fields; submitting retries the job with
// the changed recipe (jobs.retry with a recipe patch). Inline in the details panel, never a modal.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { editableRecipe, recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { FieldError } from './FieldError.tsx';
import { RecipeFields } from './RecipeFields.tsx';

export function EditRetryForm({ job, onDone }: { job: JobView; onDone: () => void }) {
  const { client, act } = useApp();
  const [recipe, setRecipe] = useState<EditableRecipe>(() => editableRecipe(job.recipe));
  const problem = recipeProblem(recipe);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.scrollIntoView({ block: 'nearest' });
    form.current?.querySelector('textarea')?.focus();
  }, []);
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const ok = await act(
      () => client.call('jobs.retry', { ids: [job.id], recipe }),
      `${job.name} is queued again with the new recipe.`,
    );
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
