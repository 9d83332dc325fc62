// The results as a grid of cards, virtualised by rows: the number of columns follows the width,
// only the rows on screen exist in the page, and only their pages of jobs are fetched.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useElementWidth } from '../hooks/use-element-width.ts';
import { PAGE_SIZE, type JobWindow } from '../lib/job-window.ts';
import { ResultCard } from './ResultCard.tsx';

const CARD_MIN_WIDTH = 200;
const GAP = 16;
const ROW_HEIGHT = 244;

interface Props {
  jobs: JobWindow;
  selectedId: string | null;
  onOpen: (id: string) => void;
}

export function ResultsGrid({ jobs, selectedId, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scroller);
  const columns = Math.max(1, Math.floor((width + GAP) / (CARD_MIN_WIDTH + GAP)));
  const total = jobs.total();
  // eslint-disable-next-line react-hooks/incompatible-library -- read fresh on every render, never memoised
  const virtualizer = useVirtualizer({
    count: Math.ceil(total / columns),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT + GAP,
    overscan: 3,
  });
  const rows = virtualizer.getVirtualItems();
  const first = (rows[0]?.index ?? 0) * columns;
  const last = ((rows[rows.length - 1]?.index ?? 0) + 1) * columns;

  useEffect(() => {
    jobs.show(Math.max(0, first - PAGE_SIZE / 2), last + PAGE_SIZE);
  }, [jobs, first, last]);

  return (
    <div
      ref={scroller}
      className="results-grid"
      role="list"
      aria-label="Finished images"
      data-ready={jobs.loaded()}
      data-total={total}
    >
      <div className="job-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => (
          <div
            key={row.key}
            className="grid-row"
            style={{
              transform: `translateY(${row.start}px)`,
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              height: ROW_HEIGHT,
            }}
          >
            {Array.from({ length: columns }, (_, column) => {
              const index = row.index * columns + column;
              if (index >= total) return null;
              const job = jobs.at(index);
              return (
                <div key={job?.id ?? `slot-${index}`} role="listitem" className="grid-cell">
                  {job ? (
                    <ResultCard job={job} selected={job.id === selectedId} onOpen={onOpen} />
                  ) : (
                    <div className="result-card skeleton" aria-hidden="true" />
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
