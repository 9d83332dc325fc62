// The recipe new images start with (the recipe bar's starting point, and watched folders' base),
// saved as it is changed like every other setting: a choice at once, the prompt when typing pauses
// or the field is left; a recipe that cannot work is said, not saved.
import { useEffect, useRef, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import { useModels } from '../hooks/use-models.ts';
import { useSaveStatus } from '../hooks/use-save-status.ts';
import { recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { FieldError } from './FieldError.tsx';
import { RecipeFields } from './RecipeFields.tsx';
import { SavedNote } from './SavedNote.tsx';

interface Props {
  settings: Settings;
  update: (patch: SettingsPatch) => Promise<Settings>;
}

/** How long typing must pause before the prompt is saved. */
const TYPING_PAUSE_MS = 800;

export function DefaultRecipeSettings({ settings, update }: Props) {
  const status = useSaveStatus();
  const models = useModels();
  const [draft, setDraft] = useState<EditableRecipe>(settings.defaultRecipe);
  const [sent, setSent] = useState(() => JSON.stringify(settings.defaultRecipe));
  // A default changed elsewhere (the recipe bar's "Make default") shows here; our own saves do not
  // come back to overwrite what is being typed.
  const incoming = JSON.stringify(settings.defaultRecipe);
  const [seen, setSeen] = useState(incoming);
  if (incoming !== seen) {
    setSeen(incoming);
    if (incoming !== sent) setDraft(settings.defaultRecipe);
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  function save(next: EditableRecipe): void {
    clearTimeout(timer.current);
    const text = JSON.stringify(next);
    if (recipeProblem(next, models.info(next.model)) || text === sent) return;
    setSent(text);
    void status.save(() => update({ defaultRecipe: next }));
  }

  function change(next: EditableRecipe): void {
    setDraft(next);
    clearTimeout(timer.current);
    if (next.prompt === draft.prompt) save(next);
    else timer.current = setTimeout(() => save(next), TYPING_PAUSE_MS);
  }

  return (
    <div className="default-recipe" onBlur={() => save(draft)}>
      <RecipeFields value={draft} onChange={change} />
      <div className="default-recipe-status">
        <FieldError
          message={recipeProblem(draft, models.info(draft.model)) ?? status.error ?? undefined}
        />
        <SavedNote saved={status.saved} />
      </div>
    </div>
  );
}
