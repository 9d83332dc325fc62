// The options of a watched folder, inline (adding or editing): its recipe (or the default),
// where results go, sub-folders, what to do with images already there, what to do with originals
// afterwards, and include/exclude patterns.
import { useId, useState, type FormEvent } from 'react';
import type { WatchFolderSettings } from '../../../main/contract/watch.ts';
import { useModels } from '../hooks/use-models.ts';
import { recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { FieldError } from './FieldError.tsx';
import { RecipeFields } from './RecipeFields.tsx';
import { SpendCapField } from './SpendCapField.tsx';

interface Props {
  initial: WatchFolderSettings;
  defaultRecipe: EditableRecipe;
  title: string;
  submitLabel: string;
  onSubmit: (values: WatchFolderSettings) => Promise<boolean>;
  onCancel: () => void;
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export function WatchFolderForm({
  initial,
  defaultRecipe,
  title,
  submitLabel,
  onSubmit,
  onCancel,
}: Props) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [ownRecipe, setOwnRecipe] = useState(initial.recipe !== undefined);
  const [recipe, setRecipe] = useState<EditableRecipe>({ ...defaultRecipe, ...initial.recipe });
  const [include, setInclude] = useState(initial.include.join('\n'));
  const [exclude, setExclude] = useState(initial.exclude.join('\n'));
  const [busy, setBusy] = useState(false);
  const models = useModels();
  const problem = ownRecipe ? recipeProblem(recipe, models.info(recipe.model)) : undefined;
  const set = (patch: Partial<WatchFolderSettings>) => setValues((now) => ({ ...now, ...patch }));

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    const ok = await onSubmit({
      ...values,
      recipe: ownRecipe ? recipe : undefined,
      include: lines(include),
      exclude: lines(exclude),
    });
    setBusy(false);
    if (ok) onCancel();
  }

  return (
    <form className="watch-form card" aria-label={title} onSubmit={submit}>
      <h2>{title}</h2>
      <p className="watch-path" title={values.path}>
        {values.path}
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={ownRecipe}
          onChange={(event) => setOwnRecipe(event.target.checked)}
        />
        Use its own recipe (otherwise the default recipe from Settings)
      </label>
      {ownRecipe && <RecipeFields value={recipe} onChange={setRecipe} />}
      <FieldError message={problem} />
      <div className="field">
        <label htmlFor={`${id}-out`}>Results go to</label>
        <input
          id={`${id}-out`}
          type="text"
          value={values.outDir ?? ''}
          placeholder="The output folder from Settings"
          onChange={(event) => set({ outDir: event.target.value || undefined })}
        />
      </div>
      <SpendCapField
        value={values.maxSpendPerDay}
        onChange={(maxSpendPerDay) => set({ maxSpendPerDay })}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={values.recursive}
          onChange={(event) => set({ recursive: event.target.checked })}
        />
        Include sub-folders
      </label>
      <div className="choice-row">
        <ChoiceGroup
          legend="Images already in the folder"
          value={values.existing}
          options={[
            { value: 'process', label: 'Queue them' },
            { value: 'ignore', label: 'Leave them, only new ones' },
          ]}
          onChange={(existing) => set({ existing })}
        />
        <ChoiceGroup
          legend="After a result is made"
          value={values.afterSuccess}
          options={[
            { value: 'keep', label: 'Leave the original' },
            { value: 'move', label: 'Move it into done/' },
          ]}
          onChange={(afterSuccess) => set({ afterSuccess })}
        />
        <ChoiceGroup
          legend="When a job fails"
          value={values.afterFailure}
          options={[
            { value: 'keep', label: 'Leave the original' },
            { value: 'move', label: 'Move it into failed/ with the reason' },
          ]}
          onChange={(afterFailure) => set({ afterFailure })}
        />
      </div>
      <div className="glob-row">
        <div className="field">
          <label htmlFor={`${id}-include`}>Only files matching (one pattern a line)</label>
          <textarea
            id={`${id}-include`}
            rows={2}
            placeholder="every image"
            value={include}
            onChange={(event) => setInclude(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-exclude`}>Skip files matching</label>
          <textarea
            id={`${id}-exclude`}
            rows={2}
            placeholder="e.g. *-draft.*"
            value={exclude}
            onChange={(event) => setExclude(event.target.value)}
          />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || Boolean(problem)}>
          {submitLabel}
        </button>
        <button type="button" className="button ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
