// The fields of a recipe — model, prompt, size, resolution, images per source — with every choice
// taken from the model catalogue, so only what the chosen model accepts can be picked. Used by
// the recipe bar, the default recipe in Settings, edit-and-retry, run-again and watched folders.
import { useId } from 'react';
import { MODEL_CATALOGUE, findModel } from '../../../main/contract/catalogue.ts';
import { withModel, type EditableRecipe } from '../lib/recipe.ts';

interface Props {
  value: EditableRecipe;
  onChange: (next: EditableRecipe) => void;
  /** "bar": one row, the prompt growing line by line as it is written; "form": stacked. */
  layout?: 'bar' | 'form';
}

function choice(value: string | undefined): string {
  return value ?? '';
}

export function RecipeFields({ value, onChange, layout = 'form' }: Props) {
  const id = useId();
  const info = findModel(value.model);
  const models = info
    ? MODEL_CATALOGUE
    : [...MODEL_CATALOGUE, { id: value.model, label: value.model }];
  const nMax = info?.n.max ?? 15;
  const set = (patch: Partial<EditableRecipe>): void => {
    const next = { ...value, ...patch };
    for (const key of ['size', 'resolution'] as const) if (!next[key]) delete next[key];
    onChange(next);
  };
  return (
    <div className={`recipe-fields layout-${layout}`}>
      <div className="field field-model">
        <label htmlFor={`${id}-model`}>Model</label>
        <select
          id={`${id}-model`}
          value={value.model}
          onChange={(event) => onChange(withModel(value, event.target.value))}
        >
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-prompt">
        <label htmlFor={`${id}-prompt`}>Prompt</label>
        <textarea
          id={`${id}-prompt`}
          rows={layout === 'bar' ? 1 : 3}
          value={value.prompt}
          placeholder="Describe what to make of each image"
          maxLength={info?.promptMax ?? 20_000}
          onChange={(event) => set({ prompt: event.target.value })}
        />
      </div>
      <div className="field field-size">
        <label htmlFor={`${id}-size`}>Size</label>
        <select
          id={`${id}-size`}
          value={choice(value.size)}
          disabled={info?.sizes.length === 0}
          onChange={(event) => set({ size: event.target.value })}
        >
          <option value="">Default</option>
          {(info?.sizes ?? []).map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-resolution">
        <label htmlFor={`${id}-resolution`}>Resolution</label>
        <select
          id={`${id}-resolution`}
          value={choice(value.resolution)}
          disabled={info?.resolutions.length === 0}
          onChange={(event) => set({ resolution: event.target.value })}
        >
          <option value="">{info?.resolutions.length === 0 ? 'Not offered' : 'Default'}</option>
          {(info?.resolutions ?? []).map((resolution) => (
            <option key={resolution} value={resolution}>
              {resolution}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-n">
        <label htmlFor={`${id}-n`}>Images</label>
        <select
          id={`${id}-n`}
          value={value.n ?? 1}
          disabled={nMax === (info?.n.min ?? 1)}
          onChange={(event) => set({ n: Number(event.target.value) })}
        >
          {Array.from(
            { length: nMax - (info?.n.min ?? 1) + 1 },
            (_, i) => i + (info?.n.min ?? 1),
          ).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
