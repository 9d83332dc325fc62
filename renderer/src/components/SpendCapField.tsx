// A watched folder's own daily spending cap in the folder's form: dollars, or empty for none.
// Jobs of the folder past it are held (not failed) until the next day or a higher cap.
import { useId, useState } from 'react';

interface Props {
  value: number | null | undefined;
  onChange: (usd: number | null) => void;
}

export function SpendCapField({ value, onChange }: Props) {
  const id = useId();
  const [draft, setDraft] = useState(value == null ? '' : String(value));
  return (
    <div className="field">
      <label htmlFor={id}>Daily spending cap for this folder (US dollars)</label>
      <input
        id={id}
        type="number"
        min={0.01}
        step={0.01}
        inputMode="decimal"
        value={draft}
        placeholder="No cap of its own"
        onChange={(event) => {
          setDraft(event.target.value);
          const usd = Number(event.target.value);
          onChange(event.target.value.trim() === '' || !(usd > 0) ? null : usd);
        }}
      />
      <p className="hint">Images past it wait, held, until tomorrow or a higher cap.</p>
    </div>
  );
}
