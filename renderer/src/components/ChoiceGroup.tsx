// A small set of mutually exclusive options as radio buttons with a line of explanation each
// (metadata policy, theme): every option visible at once, reachable with the arrow keys. A click
// shows at once; the engine's answer (the `value` prop) takes over when the change has settled.
import { useId, useState } from 'react';

interface Option<T extends string> {
  value: T;
  label: string;
  detail?: string;
}

interface Props<T extends string> {
  legend: string;
  value: T;
  options: readonly Option<T>[];
  /** May return a promise: the clicked option shows until it settles. */
  onChange: (value: T) => unknown;
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
  const [chosen, setChosen] = useState<T | null>(null);
  const shown = chosen ?? value;
  function choose(next: T): void {
    setChosen(next);
    void Promise.resolve(onChange(next)).finally(() => setChosen(null));
  }
  return (
    <fieldset className={`choice-group ${inline ? 'inline' : ''}`}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="choice" data-checked={option.value === shown}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === shown}
            onChange={() => choose(option.value)}
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
