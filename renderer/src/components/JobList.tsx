// The queue's rows, virtualised: only the rows on screen (plus a few) exist in the page, and only
// their pages are fetched, so 10,000 jobs scroll like 10. Arrow keys, Home/End and Page keys move
// between rows, Space selects, Enter opens the details. A row showing its whole error is taller.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PauseReason } from '../../../main/contract/errors.ts';
import { useNow } from '../hooks/use-now.ts';
import { PAGE_SIZE, type JobWindow } from '../lib/job-window.ts';
import { JobRow, type JobRowActions } from './JobRow.tsx';

export const ROW_HEIGHT = 76;
/** Room under a row for its whole error (scrolls inside when longer). */
const ERROR_HEIGHT = 92;

/** What the queue does for a row; the list itself opens and closes a row's whole error. */
export type QueueRowActions = Omit<JobRowActions, 'onToggleError'>;
const OVERSCAN = 6;

interface Props {
  jobs: JobWindow;
  /** Why the queue is paused, if it is (rows held by it say so). */
  pause: PauseReason | null;
  selected: ReadonlySet<string>;
  actions: QueueRowActions;
  onSelectAll: () => void;
  onClearSelection: () => void;
}

export function JobList({ jobs, pause, selected, actions, onSelectAll, onClearSelection }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [moveFocus, setMoveFocus] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const total = jobs.total();
  const sizeOf = (index: number): number => {
    const id = jobs.at(index)?.id;
    return id && expanded.has(id) ? ROW_HEIGHT + ERROR_HEIGHT : ROW_HEIGHT;
  };
  // eslint-disable-next-line react-hooks/incompatible-library -- read fresh on every render, never memoised
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: sizeOf,
    overscan: OVERSCAN,
  });
  // A row opened or closed: the list measures its rows again.
  useEffect(() => virtualizer.measure(), [virtualizer, expanded]);
  const rowActions = useMemo<JobRowActions>(
    () => ({
      ...actions,
      onToggleError: (id) =>
        setExpanded((current) => {
          const next = new Set(current);
          if (!next.delete(id)) next.add(id);
          return next;
        }),
    }),
    [actions],
  );
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    // Half a page behind and a whole page ahead, so a fast scroll meets rows already fetched.
    jobs.show(Math.max(0, first - PAGE_SIZE / 2), last + PAGE_SIZE);
  }, [jobs, first, last]);

  useEffect(() => {
    if (!moveFocus) return;
    scroller.current?.querySelector<HTMLElement>(`[aria-posinset="${focusIndex + 1}"]`)?.focus();
  }, [moveFocus, focusIndex, first]);

  const waitingInView = items.some((item) => jobs.at(item.index)?.stage === 'waiting');
  const now = useNow(waitingInView);
  const tabIndexRow = focusIndex >= first && focusIndex <= last ? focusIndex : first;

  function go(index: number): void {
    const next = Math.max(0, Math.min(total - 1, index));
    setFocusIndex(next);
    setMoveFocus(true);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(event: KeyboardEvent): void {
    const current =
      Number((event.target as HTMLElement).getAttribute('aria-posinset') ?? tabIndexRow + 1) - 1;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const job = jobs.at(current);
    const keys: Record<string, () => void> = {
      ArrowDown: () => go(current + 1),
      ArrowUp: () => go(current - 1),
      PageDown: () => go(current + page),
      PageUp: () => go(current - page),
      Home: () => go(0),
      End: () => go(total - 1),
      ' ': () => actions.onSelect(current, { shiftKey: event.shiftKey, toggle: true }),
      Enter: () => job && actions.onInspect(job.id),
      Escape: onClearSelection,
    };
    const action =
      (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a'
        ? onSelectAll
        : event.target === event.currentTarget || (event.target as HTMLElement).role === 'listitem'
          ? keys[event.key]
          : undefined;
    if (!action) return;
    event.preventDefault();
    action();
  }

  return (
    <div
      ref={scroller}
      className="job-list"
      role="list"
      aria-label="Jobs"
      aria-busy={!jobs.loaded()}
      data-ready={jobs.loaded()}
      data-total={total}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setMoveFocus(false);
      }}
    >
      <div className="job-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const job = jobs.at(item.index);
          return (
            <div
              key={item.key}
              className="row-slot"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              {job ? (
                <JobRow
                  job={job}
                  index={item.index}
                  total={total}
                  selected={selected.has(job.id)}
                  focused={item.index === tabIndexRow}
                  now={job.stage === 'waiting' ? now : 0}
                  pause={pause}
                  expanded={expanded.has(job.id)}
                  actions={rowActions}
                />
              ) : (
                <div className="job-row skeleton" aria-hidden="true">
                  <span className="skeleton-thumb" />
                  <span className="skeleton-lines" />
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
