// A text or number setting that is saved when the person leaves the field or presses Enter, with
// the engine's refusal shown under it in words and a brief "Saved" when it took.
import { useId, useState, type ReactNode } from 'react';
import { Icon } from './Icon.tsx';

interface Props {
  label: string;
  value: string;
  onCommit: (value: string) => Promise<unknown>;
  type?: 'text' | 'url' | 'number';
  min?: number;
  max?: number;
  placeholder?: string;
  hint?: ReactNode;
  /** Shown under the field, from what is typed right now (a live preview). */
  preview?: (draft: string) => ReactNode;
  children?: ReactNode;
}

export function CommitField(props: Props) {
  const id = useId();
  const [draft, setDraft] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function commit(): Promise<void> {
    if (draft === props.value) return;
    try {
      await props.onCommit(draft);
      setError(null);
      setSaved(true);
      setTimeout(() => setSaved(false), 2000);
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown.message : String(thrown));
    }
  }

  return (
    <div className="field setting-field">
      <label htmlFor={id}>
        {props.label}
        {saved && (
          <span className="saved" role="status">
            <Icon name="check" size={12} /> Saved
          </span>
        )}
      </label>
      <div className="input-row">
        <input
          id={id}
          type={props.type ?? 'text'}
          min={props.min}
          max={props.max}
          value={draft}
          placeholder={props.placeholder}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={() => void commit()}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void commit();
            if (event.key === 'Escape') setDraft(props.value);
          }}
        />
        {props.children}
      </div>
      {props.preview?.(draft)}
      {props.hint && <p className="hint">{props.hint}</p>}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
