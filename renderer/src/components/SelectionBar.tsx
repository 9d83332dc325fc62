// What can be done to the selected jobs at once (retry, cancel, move to top, remove), or, with
// nothing selected, to the list as a whole (select all, clear finished).
import { plural } from '../lib/format.ts';
import { Icon } from './Icon.tsx';

interface Props {
  count: number;
  onSelectAll: () => void;
  onClear: () => void;
  onRetry: () => void;
  onCancel: () => void;
  onMoveToTop: () => void;
  onRemove: () => void;
  onClearFinished: () => void;
}

export function SelectionBar(props: Props) {
  if (props.count === 0) {
    return (
      <div className="selection-bar" aria-label="List actions" role="toolbar">
        <button type="button" className="button ghost" onClick={props.onSelectAll}>
          Select all
        </button>
        <button type="button" className="button ghost" onClick={props.onClearFinished}>
          <Icon name="trash" size={14} /> Clear finished
        </button>
      </div>
    );
  }
  return (
    <div className="selection-bar active" aria-label="Selection actions" role="toolbar">
      <span className="selection-count" aria-live="polite">
        {plural(props.count, 'job')} selected
      </span>
      <button type="button" className="button ghost" onClick={props.onRetry}>
        <Icon name="retry" size={14} /> Retry
      </button>
      <button type="button" className="button ghost" onClick={props.onMoveToTop}>
        <Icon name="top" size={14} /> Move to top
      </button>
      <button type="button" className="button ghost" onClick={props.onCancel}>
        <Icon name="close" size={14} /> Cancel
      </button>
      <button type="button" className="button ghost danger" onClick={props.onRemove}>
        <Icon name="trash" size={14} /> Remove
      </button>
      <button type="button" className="link-button" onClick={props.onClear}>
        Clear selection
      </button>
    </div>
  );
}
