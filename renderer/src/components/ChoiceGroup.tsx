// A small set of mutually exclusive options as radio buttons with a line of explanation each
// (metadata policy, theme): every option visible at once, reachable with the arrow keys.
import { useId } from 'react';

interface Option<T extends string> {
  value: T;
  label: string;
  detail?: string;
}

interface Props<T extends string> {
  legend: string;
  value: T;
  options: readonly Option<T>[];
  onChange: (value: T) => void;
  inline?: boolean;
}

export function ChoiceGroup<T extends string>({
  legend,
  value,
  options,
  onChange,
  inline,
}: Props<T>) {
  const name = useId();
  return (
    <fieldset className={`choice-group ${inline ? 'inline' : ''}`}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="choice" data-checked={option.value === value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
          />
          <span className="choice-text">
            <span className="choice-label">{option.label}</span>
            {option.detail && <span className="choice-detail">{option.detail}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
