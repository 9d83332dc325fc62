// The fields of a recipe — model, prompt, size, resolution, images per source, and the model's own
// options — each shaped by the model's entry (APIMart's live schema, or the built-in table), so a
// model GenQueue has never heard of shows its fields too. Used by the recipe bar, the default
// recipe in Settings, edit-and-retry, run-again and watched folders.
import { useId } from 'react';
import {
  fieldOf,
  imagesPerRequest,
  optionFields,
  type ModelField,
  type ModelInfo,
} from '../../../main/contract/model-info.ts';
import type { OptionValue } from '../../../main/contract/schemas.ts';
import { useModels } from '../hooks/use-models.ts';
import { modelLabel, withModel, type EditableRecipe } from '../lib/recipe.ts';
import { fieldLabel, ModelFieldInput } from './ModelFieldInput.tsx';

interface Props {
  value: EditableRecipe;
  onChange: (next: EditableRecipe) => void;
  /** "bar": one row, the prompt growing line by line as it is written; "form": stacked. */
  layout?: 'bar' | 'form';
}

/** The n field as a choice of counts, whatever form the schema gave its bounds in. */
function countField(info: ModelInfo | undefined): ModelField | undefined {
  const field = info && fieldOf(info, 'n');
  if (!info || !field) return undefined;
  const { min, max } = imagesPerRequest(info);
  const counts = Array.from({ length: max - min + 1 }, (_, i) => i + min);
  return { ...field, choices: field.choices ?? counts };
}

/** A copy of `object` without `key`. */
function without<T extends object>(object: T, key: string): T {
  const copy = { ...object } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
}

export function RecipeFields({ value, onChange, layout = 'form' }: Props) {
  const id = useId();
  const models = useModels();
  const info = models.info(value.model);
  const listed = models.list.some((model) => model.id === value.model);
  const choices = listed
    ? models.list
    : [...models.list, { id: value.model, label: modelLabel(value.model, info) }];
  const setField = (name: 'size' | 'resolution' | 'n', next: OptionValue | undefined): void =>
    onChange(next === undefined ? without(value, name) : { ...value, [name]: next });
  const setOption = (name: string, next: OptionValue | undefined): void => {
    const others = without(value.options ?? {}, name);
    const options = next === undefined ? others : { ...others, [name]: next };
    onChange(Object.keys(options).length === 0 ? without(value, 'options') : { ...value, options });
  };
  const extra = info ? optionFields(info) : [];
  return (
    <div className={`recipe-fields layout-${layout}`}>
      <div className="field field-model">
        <label htmlFor={`${id}-model`}>Model</label>
        <select
          id={`${id}-model`}
          value={value.model}
          onChange={(event) =>
            onChange(withModel(value, event.target.value, models.info(event.target.value)))
          }
        >
          {choices.map((model) => (
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
          onChange={(event) => onChange({ ...value, prompt: event.target.value })}
        />
      </div>
      {(['size', 'resolution'] as const).map((name) => (
        <ModelFieldInput
          key={name}
          id={`${id}-${name}`}
          className={`field-${name}`}
          label={fieldLabel(name)}
          field={info && fieldOf(info, name)}
          value={value[name]}
          onChange={(next) => setField(name, next)}
        />
      ))}
      <ModelFieldInput
        id={`${id}-n`}
        className="field-n"
        label="Images"
        blank={false}
        field={countField(info)}
        value={value.n}
        onChange={(next) => setField('n', next)}
      />
      {extra.length > 0 && (
        <div className="recipe-options" role="group" aria-label="Model options">
          {extra.map((field) => (
            <ModelFieldInput
              key={field.name}
              id={`${id}-option-${field.name}`}
              className="field-option"
              label={fieldLabel(field.name)}
              field={field}
              value={value.options?.[field.name]}
              onChange={(next) => setOption(field.name, next)}
            />
          ))}
        </div>
      )}
    </div>
  );
}
