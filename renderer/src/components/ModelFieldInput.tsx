// One of a model's fields as an input, shaped by what its schema says: listed values become a
// choice, yes/no a choice of two, a pattern (raw pixel sizes) a text box suggesting the listed
// values, numbers a number box with the schema's bounds. Used by RecipeFields for every field.
import type { ModelField } from '../../../main/contract/model-info.ts';
import type { OptionValue } from '../../../main/contract/schemas.ts';

interface Props {
  id: string;
  label: string;
  /** The model's field; undefined when the model does not take it (shown, disabled). */
  field: ModelField | undefined;
  value: OptionValue | undefined;
  /** undefined: leave it out of the request (the model's default). */
  onChange: (next: OptionValue | undefined) => void;
  className?: string;
  /** Offer "Default" (leave it out); without it, a choice shows the model's default or first value. */
  blank?: boolean;
}

export function ModelFieldInput(props: Props) {
  const { id, label, field, value, onChange, className, blank = true } = props;
  const shown = blank ? value : (value ?? field?.default ?? field?.choices?.[0]);
  const text = shown === undefined ? '' : String(shown);
  const hint = 'Default';
  let input;
  if (!field) {
    input = (
      <select id={id} value="" disabled>
        <option value="">Not offered</option>
      </select>
    );
  } else if (field.type === 'boolean' || (field.choices?.length && field.pattern === undefined)) {
    const choices = field.type === 'boolean' ? [true, false] : (field.choices ?? []);
    input = (
      <select
        id={id}
        value={text}
        onChange={(event) => onChange(fromText(field, event.target.value, choices))}
      >
        {blank && <option value="">{hint}</option>}
        {choices.map((choice) => (
          <option key={String(choice)} value={String(choice)}>
            {field.type === 'boolean' ? (choice ? 'Yes' : 'No') : String(choice)}
          </option>
        ))}
      </select>
    );
  } else {
    const numeric = field.type === 'integer' || field.type === 'number';
    const list = field.choices?.length ? `${id}-choices` : undefined;
    input = (
      <>
        <input
          id={id}
          type={numeric ? 'number' : 'text'}
          value={text}
          placeholder={
            field.example ?? (field.default === undefined ? hint : String(field.default))
          }
          {...(numeric && {
            min: field.min,
            max: field.max,
            step: field.type === 'integer' ? 1 : 'any',
          })}
          list={list}
          onChange={(event) => onChange(fromText(field, event.target.value, []))}
        />
        {list && (
          <datalist id={list}>
            {field.choices?.map((choice) => (
              <option key={String(choice)} value={String(choice)} />
            ))}
          </datalist>
        )}
      </>
    );
  }
  return (
    <div className={`field ${className ?? ''}`} title={field?.description}>
      <label htmlFor={id}>{label}</label>
      {input}
    </div>
  );
}

/** A field's name as a label: output_compression → Output compression. */
export function fieldLabel(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fromText(
  field: ModelField,
  text: string,
  choices: readonly OptionValue[],
): OptionValue | undefined {
  if (text === '') return undefined;
  const listed = choices.find((choice) => String(choice) === text);
  if (listed !== undefined) return listed;
  if (field.type === 'integer' || field.type === 'number') {
    const number = Number(text);
    return Number.isFinite(number) ? number : undefined;
  }
  return text;
}
