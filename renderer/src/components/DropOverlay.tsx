// Shown over the whole window while files are dragged over it: where they will go, with which
// recipe, and what they will cost ("≈ $0.06 for 3 images"). It only informs; the drop itself is
// handled at the window (use-file-drop.ts).
import { useApp } from '../hooks/use-app.ts';
import { useDragCount } from '../hooks/use-drag-count.ts';
import { useEstimate } from '../hooks/use-estimate.ts';
import { priceShapeOf } from '../lib/money.ts';
import { recipeSummary, type EditableRecipe } from '../lib/recipe.ts';
import { Icon } from './Icon.tsx';

export function DropOverlay({ recipe }: { recipe: EditableRecipe | null }) {
  const { client } = useApp();
  const count = useDragCount();
  const asked = recipe && count > 0 ? { recipe: priceShapeOf(recipe), count } : null;
  const estimate = useEstimate(client, asked);
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
        {estimate && (
          <span className="drop-estimate" data-testid="drop-estimate">
            <Icon name="wallet" size={14} /> {estimate.text}
          </span>
        )}
      </div>
    </div>
  );
}
