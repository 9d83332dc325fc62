// One row of the results grid (its cards side by side), memoised apart from the grid: scrolling
// re-renders the grid each time the rows on screen change, and without this every row on screen
// would rebuild its cells then, not only the row that just came into view.
import { memo } from 'react';
import type { ResultItem } from '../../../main/contract/results.ts';
import { ResultCard, type CardActions } from './ResultCard.tsx';

interface Props {
  /** Where the row sits in the list, in px from the top. */
  top: number;
  height: number;
  columns: number;
  /** The index of the row's first result. */
  start: number;
  /** The row's results, undefined where its page has not arrived yet. */
  items: readonly (ResultItem | undefined)[];
  selected: ReadonlySet<string>;
  focus: number;
  /** On screen, not an overscan row: its cards' thumbnails may load. */
  inView: boolean;
  actions: CardActions;
}

function GridRowView(props: Props) {
  const { top, height, columns, start, items, selected, focus, inView, actions } = props;
  return (
    <div
      className="grid-row"
      style={{
        transform: `translateY(${top}px)`,
        gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
        height,
      }}
    >
      {items.map((item, column) => {
        const index = start + column;
        return (
          <div key={item?.id ?? `slot-${index}`} role="listitem" className="grid-cell">
            {item ? (
              <ResultCard
                item={item}
                index={index}
                selected={selected.has(item.id)}
                focused={index === focus}
                inView={inView}
                actions={actions}
              />
            ) : (
              <div className="result-card skeleton" aria-hidden="true" />
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Equal when every prop is, the results compared one by one (the grid hands a new array). */
function sameRow(a: Props, b: Props): boolean {
  return (
    a.top === b.top &&
    a.height === b.height &&
    a.columns === b.columns &&
    a.start === b.start &&
    a.selected === b.selected &&
    a.focus === b.focus &&
    a.inView === b.inView &&
    a.actions === b.actions &&
    a.items.length === b.items.length &&
    a.items.every((item, i) => item === b.items[i])
  );
}

export const ResultsGridRow = memo(GridRowView, sameRow);
