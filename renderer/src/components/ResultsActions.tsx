// The bar over the results grid: with results selected, what can be done with them at once
// (compare, show in folder, copy paths, export to a folder, remove from the list — the files stay
// on disk); with none, select all and how selecting works.
import type { ResultActions } from '../hooks/use-result-actions.ts';
import { plural } from '../lib/format.ts';
import { Icon } from './Icon.tsx';

interface Props {
  count: number;
  actions: ResultActions;
  onSelectAll: () => void;
  onClear: () => void;
  onCompare: () => void;
}

export function ResultsActions({ count, actions, onSelectAll, onClear, onCompare }: Props) {
  if (count === 0) {
    return (
      <div className="selection-bar" role="toolbar" aria-label="Result list actions">
        <button type="button" className="button ghost" onClick={onSelectAll}>
          Select all
        </button>
        <span className="muted">
          Click to select, Ctrl/⌘ or Shift to select more, Enter to compare.
        </span>
      </div>
    );
  }
  return (
    <div className="selection-bar active" role="toolbar" aria-label="Selected results">
      <span className="selection-count" aria-live="polite">
        {plural(count, 'result')} selected
      </span>
      <button type="button" className="button ghost" onClick={onCompare}>
        <Icon name="image" size={14} /> Compare
      </button>
      <button type="button" className="button ghost" onClick={actions.reveal}>
        <Icon name="folder" size={14} /> Show in folder
      </button>
      <button type="button" className="button ghost" onClick={actions.copyPaths}>
        <Icon name="copy" size={14} /> Copy paths
      </button>
      <button type="button" className="button ghost" onClick={actions.exportTo}>
        <Icon name="upload" size={14} /> Export to folder…
      </button>
      <button type="button" className="button ghost danger" onClick={actions.remove}>
        <Icon name="trash" size={14} /> Remove from list
      </button>
      <button type="button" className="link-button" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
