// The results as a grid of cards, virtualised by rows: the number of columns follows the width,
// each group (a batch, a prompt) starts with a header row, only the rows on screen exist in the
// page and only their pages of results are fetched. Arrow, Home/End and Page keys move between
// cards (Shift extends the selection, Ctrl/Cmd only moves), Space toggles, Enter compares.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ResultGroupBy } from '../../../main/contract/results.ts';
import { useElementWidth } from '../hooks/use-element-width.ts';
import { gridRows, moveInGrid, rowOf, type GridMove } from '../lib/grid-layout.ts';
import { groupTitle } from '../lib/result-text.ts';
import { plural } from '../lib/format.ts';
import { RESULT_PAGE, type ResultWindow } from '../lib/result-window.ts';
import type { CardActions } from './ResultCard.tsx';
import { ResultsGridRow } from './ResultsGridRow.tsx';

const CARD_MIN_WIDTH = 200;
const GAP = 16;
const ROW_HEIGHT = 262;
const HEADER_HEIGHT = 44;

const KEYS: Record<string, GridMove> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

export interface GridActions extends CardActions {
  /** Focus moved by a key to `index`: `extend` (Shift) or `only` (Ctrl/Cmd: selection stays). */
  onMove: (index: number, how: 'select' | 'extend' | 'only') => void;
  onSelectAll: () => void;
  onClear: () => void;
  onRemove: () => void;
  onSelectGroup: (start: number, count: number) => void;
}

interface Props {
  results: ResultWindow;
  groupBy: ResultGroupBy;
  selected: ReadonlySet<string>;
  focus: number;
  actions: GridActions;
}

export function ResultsGrid({ results, groupBy, selected, focus, actions }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [focusPending, setFocusPending] = useState(false);
  const width = useElementWidth(scroller);
  const columns = Math.max(1, Math.floor((width + GAP) / (CARD_MIN_WIDTH + GAP)));
  const total = results.total();
  const groups = results.groups();
  const rows = useMemo(() => gridRows(total, groups, columns), [total, groups, columns]);
  // eslint-disable-next-line react-hooks/incompatible-library -- read fresh on every render, never memoised
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === 'header' ? HEADER_HEIGHT : ROW_HEIGHT + GAP),
    // One row each side (278 px; the queue keeps 456 px): every card that exists costs style,
    // layout and paint on every frame that changes the rows, and three rows each side cost a
    // scrolling gallery 1-2 ms a frame.
    overscan: 1,
    paddingStart: GAP,
    paddingEnd: GAP,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, rows]);
  const items = virtualizer.getVirtualItems();
  // The rows on screen, without the overscan: only their cards ask for thumbnails. Cards kept
  // ready off screen would otherwise live long enough to fetch and decode theirs on every frame
  // of a fast scroll, for images nobody sees (the loader's 150 ms wait is counted from mounting).
  const seen = virtualizer.calculateRange();
  const first = rows[items[0]?.index ?? 0]?.start ?? 0;
  const lastRow = rows[items[items.length - 1]?.index ?? 0];
  const last = lastRow ? (lastRow.kind === 'cells' ? lastRow.end : lastRow.start + 1) : 0;

  useEffect(() => {
    results.show(Math.max(0, first - RESULT_PAGE / 2), last + RESULT_PAGE / 2);
  }, [results, first, last]);

  // After a key (or the compare) moved focus: bring its row into view, then focus its card.
  const focusRow = rowOf(rows, focus);
  useEffect(() => {
    if (focusRow >= 0) virtualizer.scrollToIndex(focusRow, { align: 'auto' });
  }, [virtualizer, focusRow]);
  useEffect(() => {
    if (!focusPending) return;
    const card = scroller.current?.querySelector<HTMLElement>(`[data-index="${focus}"]`);
    if (card && document.activeElement !== card) card.focus({ preventScroll: true });
  });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (!(event.target as Element).closest('.result-card')) return;
    const move = KEYS[event.key];
    const mod = event.ctrlKey || event.metaKey;
    if (move) {
      const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ROW_HEIGHT));
      const to = moveInGrid(rows, focus, move, total, page);
      actions.onMove(to, event.shiftKey ? 'extend' : mod ? 'only' : 'select');
      setFocusPending(true);
    } else if (event.key === ' ') actions.onToggle(focus);
    else if (event.key === 'Enter') actions.onOpen(focus);
    else if (event.key === 'Escape') actions.onClear();
    else if (event.key === 'Delete' || event.key === 'Backspace') actions.onRemove();
    else if (mod && event.key.toLowerCase() === 'a') actions.onSelectAll();
    else return;
    event.preventDefault();
  }

  return (
    <div
      ref={scroller}
      className="results-grid"
      role="list"
      aria-label="Finished images"
      aria-multiselectable="true"
      data-ready={results.loaded()}
      data-total={total}
      onKeyDown={onKeyDown}
      onBlur={() => setFocusPending(false)}
    >
      <div className="job-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((virtual) => {
          const row = rows[virtual.index]!;
          if (row.kind === 'header') {
            return (
              <div
                key={virtual.key}
                className="grid-header"
                style={{ transform: `translateY(${virtual.start}px)` }}
              >
                <h2>{groupTitle(groupBy, row.group)}</h2>
                <span className="muted">{plural(row.group.count, 'result')}</span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => actions.onSelectGroup(row.start, row.group.count)}
                >
                  Select these
                </button>
              </div>
            );
          }
          return (
            <ResultsGridRow
              key={virtual.key}
              top={virtual.start}
              height={ROW_HEIGHT}
              columns={columns}
              start={row.start}
              items={Array.from({ length: row.end - row.start }, (_, i) =>
                results.at(row.start + i),
              )}
              selected={selected}
              focus={focus >= row.start && focus < row.end ? focus : -1}
              inView={!!seen && virtual.index >= seen.startIndex && virtual.index <= seen.endIndex}
              actions={actions}
            />
          );
        })}
      </div>
    </div>
  );
}
