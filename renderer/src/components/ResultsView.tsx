// Results: every finished job as a card, newest batches at the end, and the panel with the
// before/after slider and the actions for the one opened.
import { useState } from 'react';
import { useJobWindow } from '../hooks/use-job-window.ts';
import { plural } from '../lib/format.ts';
import { EmptyState } from './EmptyState.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { ResultsGrid } from './ResultsGrid.tsx';

export function ResultsView({ onShowQueue }: { onShowQueue: () => void }) {
  const jobs = useJobWindow('done');
  const [openId, setOpenId] = useState<string | null>(null);
  const total = jobs.total();
  return (
    <section className="view results-view" aria-label="Results">
      <header className="view-header">
        <div>
          <h1>Results</h1>
          <p className="view-sub">{jobs.loaded() ? plural(total, 'finished image') : ' '}</p>
        </div>
      </header>
      <div className="queue-body">
        {jobs.loaded() && total === 0 ? (
          <EmptyState icon="results" title="No results yet">
            <p>Finished images appear here as soon as they are downloaded.</p>
            <button type="button" className="button" onClick={onShowQueue}>
              Go to the queue
            </button>
          </EmptyState>
        ) : (
          <ResultsGrid jobs={jobs} selectedId={openId} onOpen={setOpenId} />
        )}
        {openId && <ResultPanel key={openId} id={openId} onClose={() => setOpenId(null)} />}
      </div>
    </section>
  );
}
