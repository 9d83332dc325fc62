// Shown over the whole window while files are dragged over it: where they will go and with which
// recipe. It only informs; the drop itself is handled at the window (use-file-drop.ts).
import { recipeSummary, type EditableRecipe } from '../lib/recipe.ts';
import { Icon } from './Icon.tsx';

export function DropOverlay({ recipe }: { recipe: EditableRecipe | null }) {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <Icon name="upload" size={40} />
        <strong>Drop images or folders to queue them</strong>
        {recipe && (
          <span>
            {recipeSummary(recipe)} · “{recipe.prompt}”
          </span>
        )}
      </div>
    </div>
  );
}
