// The queue: the recipe for new images, filters with counts, actions on a multi-selection, the
// failures grouped by cause (in the Failed filter), the virtualised list of jobs and, beside it,
// the details of the job opened.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { JobFilter, QueueStats } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { useJobSelection } from '../hooks/use-job-selection.ts';
import { useJobWindow } from '../hooks/use-job-window.ts';
import { filterLabel } from '../lib/job-text.ts';
import type { EditableRecipe } from '../lib/recipe.ts';
import { EmptyState } from './EmptyState.tsx';
import { FailureGroups } from './FailureGroups.tsx';
import { FilterTabs } from './FilterTabs.tsx';
import { Icon } from './Icon.tsx';
import { JobList, type QueueRowActions } from './JobList.tsx';
import { QueueHeader } from './QueueHeader.tsx';
import { RecipeBar } from './RecipeBar.tsx';
import { SelectionBar } from './SelectionBar.tsx';

// The details panel loads when a job is first opened, not with the window.
const JobInspector = lazy(() =>
  import('./JobInspector.tsx').then((module) => ({ default: module.JobInspector })),
);

interface Props {
  stats: QueueStats | null;
  /** null until the settings (and so the default recipe) have arrived. */
  recipe: EditableRecipe | null;
  onRecipe: (recipe: EditableRecipe) => void;
  isDefaultRecipe: boolean;
  onMakeDefault: () => void;
  onAdd: (kind: 'files' | 'folder') => void;
}

function QueueEmpty({ filter, onAdd }: { filter: JobFilter; onAdd: Props['onAdd'] }) {
  if (filter !== 'all')
    return <EmptyState icon="check" title={`Nothing in “${filterLabel(filter, false)}”`} />;
  return (
    <EmptyState icon="upload" title="Your queue is empty">
      <p>Drop images or folders anywhere in this window, paste an image, or add them.</p>
      <button type="button" className="button primary" onClick={() => onAdd('files')}>
        <Icon name="image" /> Choose images…
      </button>
    </EmptyState>
  );
}

export function QueueView(props: Props) {
  const { stats, recipe, onAdd } = props;
  const { client, act } = useApp();
  const [filter, setFilter] = useState<JobFilter>('all');
  const [inspected, setInspected] = useState<{ id: string; editing: boolean } | null>(null);
  const jobs = useJobWindow(filter);
  const selection = useJobSelection(jobs);
  const ready = jobs.loaded();
  // A User Timing mark when the list first shows real rows (or its empty state): what the
  // renderer benchmark measures, and what a profile of the window shows as "queue ready".
  useEffect(() => {
    if (ready) performance.mark('genqueue:queue-ready');
  }, [ready, jobs]);

  const { onSelect, clear } = selection;
  const actions = useMemo<QueueRowActions>(
    () => ({
      onSelect,
      onInspect: (id) => setInspected({ id, editing: false }),
      onEdit: (id) => setInspected({ id, editing: true }),
      onRetry: (id) => void act(() => client.call('jobs.retry', { ids: [id] })),
      onCancel: (id) => void act(() => client.call('jobs.cancel', { ids: [id] })),
      onOpen: (path) => void act(() => client.call('shell.open', { path })),
    }),
    [onSelect, client, act],
  );

  const ids = [...selection.ids];
  const bulk = (route: 'jobs.retry' | 'jobs.cancel' | 'jobs.remove', done: string) => () =>
    void act(async () => {
      const { count } = await client.call(route, { ids });
      if (route === 'jobs.remove') clear();
      return count;
    }, done);

  return (
    <section className="view queue-view" aria-label="Queue">
      <QueueHeader stats={stats} onAdd={onAdd} />
      {recipe ? (
        <RecipeBar
          recipe={recipe}
          onChange={props.onRecipe}
          isDefault={props.isDefaultRecipe}
          onMakeDefault={props.onMakeDefault}
        />
      ) : (
        <div className="recipe-bar placeholder" aria-busy="true" />
      )}
      <div className="list-toolbar">
        <FilterTabs
          filter={filter}
          stats={stats}
          onFilter={(next) => {
            setFilter(next);
            clear();
          }}
        />
        <SelectionBar
          count={selection.ids.size}
          onSelectAll={selection.selectAll}
          onClear={clear}
          onRetry={bulk('jobs.retry', 'Queued again.')}
          onCancel={bulk('jobs.cancel', 'Cancelled.')}
          onRemove={bulk('jobs.remove', 'Removed from the list.')}
          onMoveToTop={() =>
            void act(async () => {
              await client.call('jobs.moveToTop', { ids });
              jobs.refresh();
            })
          }
          onClearFinished={() =>
            void act(() => client.call('jobs.clearFinished', {}), 'Finished jobs cleared.')
          }
        />
      </div>
      {filter === 'failed' && <FailureGroups failed={stats?.counts.failed ?? 0} />}
      <div className="queue-body">
        {ready && jobs.total() === 0 ? (
          <QueueEmpty filter={filter} onAdd={onAdd} />
        ) : (
          <JobList
            jobs={jobs}
            pause={stats?.paused ?? null}
            selected={selection.ids}
            actions={actions}
            onSelectAll={selection.selectAll}
            onClearSelection={clear}
          />
        )}
        {inspected && (
          <Suspense fallback={null}>
            <JobInspector
              key={inspected.id}
              id={inspected.id}
              editing={inspected.editing}
              onEditing={(editing) => setInspected({ id: inspected.id, editing })}
              onClose={() => setInspected(null)}
              pause={stats?.paused ?? null}
            />
          </Suspense>
        )}
      </div>
      {jobs.error() && (
        <p className="field-error" role="alert">
          The queue could not be loaded: {jobs.error()}
        </p>
      )}
    </section>
  );
}
