// The recipe new images are queued with (added, dropped or pasted), above the queue. It starts
// from the default recipe in Settings; "Make default" saves the current one there.
import { useModels } from '../hooks/use-models.ts';
import { recipeProblem, type EditableRecipe } from '../lib/recipe.ts';
import { EstimateNote } from './EstimateNote.tsx';
import { Icon } from './Icon.tsx';
import { RecipeFields } from './RecipeFields.tsx';

interface Props {
  recipe: EditableRecipe;
  onChange: (next: EditableRecipe) => void;
  isDefault: boolean;
  onMakeDefault: () => void;
}

export function RecipeBar({ recipe, onChange, isDefault, onMakeDefault }: Props) {
  const problem = recipeProblem(recipe, useModels().info(recipe.model));
  return (
    <section className="recipe-bar" aria-label="Recipe for new images">
      <RecipeFields value={recipe} onChange={onChange} layout="bar" />
      <EstimateNote recipe={recipe} />
      <div className="recipe-bar-foot">
        {problem ? (
          <p className="field-error" role="alert">
            <Icon name="alert" size={14} /> {problem}
          </p>
        ) : (
          <p className="hint">
            New images — added, dropped or pasted — are queued with this recipe.
          </p>
        )}
        <button
          type="button"
          className="link-button"
          disabled={isDefault || Boolean(problem)}
          onClick={onMakeDefault}
        >
          {isDefault ? 'This is your default recipe' : 'Make default'}
        </button>
      </div>
    </section>
  );
}
