// The recipe new images start with (the recipe bar's starting point, and watched folders'
// base): edited as a draft, saved with one button, so half-typed prompts are never stored.
import { useState } from 'react';
import type { Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { FieldError } from './FieldError.tsx';
import { RecipeFields } from './RecipeFields.tsx';

interface Props {
  settings: Settings;
  update: (patch: SettingsPatch) => Promise<Settings>;
}

export function DefaultRecipeSettings({ settings, update }: Props) {
  const { act } = useApp();
  const [draft, setDraft] = useState<EditableRecipe>(settings.defaultRecipe);
  const dirty = JSON.stringify(draft) !== JSON.stringify(settings.defaultRecipe);
  const problem = recipeProblem(draft);
  return (
    <div className="default-recipe">
      <RecipeFields value={draft} onChange={setDraft} />
      <FieldError message={problem} />
      <div className="form-actions">
        <button
          type="button"
          className="button primary"
          disabled={!dirty || Boolean(problem)}
          onClick={() => act(() => update({ defaultRecipe: draft }), 'Default recipe saved.')}
        >
          Save default recipe
        </button>
        {dirty && (
          <button
            type="button"
            className="button ghost"
            onClick={() => setDraft(settings.defaultRecipe)}
          >
            Discard changes
          </button>
        )}
      </div>
    </div>
  );
}
