// Results: every finished job as a card, found by search and filters, sorted and grouped by the
// engine; selected one at a time or many (compare, show in folder, copy, export, remove from the
// list), with the panel beside the grid for one and the full-screen compare over it.
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { ResultQuery } from '../../../main/contract/results.ts';
import { useResultActions } from '../hooks/use-result-actions.ts';
import { useResultFacets } from '../hooks/use-result-facets.ts';
import { useResultSelection } from '../hooks/use-result-selection.ts';
import { useResultWindow } from '../hooks/use-result-window.ts';
import { plural } from '../lib/format.ts';
import { CompareView } from './CompareView.tsx';
import { EmptyState } from './EmptyState.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { ResultsActions } from './ResultsActions.tsx';
import { ResultsGrid, type GridActions } from './ResultsGrid.tsx';
import { ResultsToolbar } from './ResultsToolbar.tsx';

function ResultsBody({ query, onShowQueue }: { query: ResultQuery; onShowQueue: () => void }) {
  const results = useResultWindow(query);
  const selection = useResultSelection(results);
  const { selected, focus, pick, selectAll, selectRange, clear } = selection;
  const bulk = useResultActions(selected, clear);
  const [compareAt, setCompareAt] = useState<number | null>(null);
  const clicked = useRef(0);
  const ready = results.loaded();
  useEffect(() => {
    if (ready) performance.mark('genqueue:results-ready');
  }, [ready, results]);

  const open = useCallback(
    (index: number) => {
      pick(index, 'only');
      setCompareAt(index);
    },
    [pick],
  );
  const { remove } = bulk;
  const actions = useMemo<GridActions>(
    () => ({
      onClick: (index: number, event: MouseEvent) => {
        // The first click may open the panel and move the cards: a double click opens what the
        // first click was on, wherever the second one landed.
        if (event.detail >= 2) return open(clicked.current);
        clicked.current = index;
        pick(
          index,
          event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'select',
        );
      },
      onToggle: (index) => pick(index, 'toggle'),
      onOpen: open,
      onFocus: (index) => pick(index, 'only'),
      onMove: pick,
      onSelectAll: selectAll,
      onClear: clear,
      onRemove: () => void remove(),
      onSelectGroup: selectRange,
    }),
    [pick, open, selectAll, clear, remove, selectRange],
  );
  const openId = selected.size === 1 ? [...selected][0]! : null;
  const total = results.total();
  const empty = ready && total === 0;
  return (
    <>
      <div className="results-bar">
        <ResultsActions
          count={selected.size}
          actions={bulk}
          onSelectAll={selectAll}
          onClear={clear}
          onCompare={() => open(focus)}
        />
        <p className="results-count" aria-live="polite">
          {ready ? `${plural(total, 'result')} shown` : ' '}
        </p>
      </div>
      <div className="queue-body">
        {empty && Object.keys(query).some((key) => !['sort', 'group'].includes(key)) ? (
          <EmptyState icon="results" title="Nothing matches">
            <p>No finished image matches this search and these filters.</p>
          </EmptyState>
        ) : empty ? (
          <EmptyState icon="results" title="No results yet">
            <p>Finished images appear here as soon as they are downloaded.</p>
            <button type="button" className="button" onClick={onShowQueue}>
              Go to the queue
            </button>
          </EmptyState>
        ) : (
          <ResultsGrid
            results={results}
            groupBy={query.group ?? 'none'}
            selected={selected}
            focus={focus}
            actions={actions}
          />
        )}
        {openId && (
          <ResultPanel key={openId} id={openId} onClose={clear} onCompare={() => open(focus)} />
        )}
      </div>
      {compareAt !== null && (
        <CompareView
          results={results}
          index={compareAt}
          onIndex={(index) => {
            pick(index, 'only');
            setCompareAt(index);
          }}
          onClose={() => setCompareAt(null)}
        />
      )}
    </>
  );
}

export function ResultsView({ onShowQueue }: { onShowQueue: () => void }) {
  const [query, setQuery] = useState<ResultQuery>({ sort: 'newest', group: 'none' });
  const facets = useResultFacets();
  return (
    <section className="view results-view" aria-label="Results">
      <header className="view-header">
        <div>
          <h1>Results</h1>
          <p className="view-sub">{facets ? plural(facets.total, 'finished image') : ' '}</p>
        </div>
      </header>
      <ResultsToolbar query={query} facets={facets} onChange={setQuery} />
      <ResultsBody key={JSON.stringify(query)} query={query} onShowQueue={onShowQueue} />
    </section>
  );
}
