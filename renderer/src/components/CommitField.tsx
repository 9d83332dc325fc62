// A text or number setting that is saved when the person leaves the field or presses Enter, with
// the engine's refusal shown under it in words and a brief "Saved" when it took.
import { useId, useState, type ReactNode } from 'react';
import { useSaveStatus } from '../hooks/use-save-status.ts';
import { SavedNote } from './SavedNote.tsx';

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
  const { saved, error, save } = useSaveStatus();

  async function commit(): Promise<void> {
    if (draft !== props.value) await save(() => props.onCommit(draft));
  }

  return (
    <div className="field setting-field">
      <label htmlFor={id}>
        {props.label}
        <SavedNote saved={saved} />
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
