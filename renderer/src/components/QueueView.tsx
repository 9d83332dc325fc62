// The queue: the recipe for new images, filters with counts, actions on a multi-selection, the
// virtualised list of jobs and, beside it, the details of the job opened. Selection is by id, so it
// survives rows scrolling out of view and jobs changing stage.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { JobFilter, QueueStats } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { useJobWindow } from '../hooks/use-job-window.ts';
import { formatCount, plural } from '../lib/format.ts';
import { filterCount, FILTERS } from '../lib/job-text.ts';
import type { EditableRecipe } from '../lib/recipe.ts';
import { EmptyState } from './EmptyState.tsx';
import { FilterTabs } from './FilterTabs.tsx';
import { Icon } from './Icon.tsx';
import { JobList } from './JobList.tsx';
import type { JobRowActions } from './JobRow.tsx';
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

interface Selection {
  ids: ReadonlySet<string>;
  anchor: number | null;
}
const NOTHING: Selection = { ids: new Set(), anchor: null };

export function QueueView({
  stats,
  recipe,
  onRecipe,
  isDefaultRecipe,
  onMakeDefault,
  onAdd,
}: Props) {
  const { client, act } = useApp();
  const [filter, setFilter] = useState<JobFilter>('all');
  const [selection, setSelection] = useState<Selection>(NOTHING);
  const [inspected, setInspected] = useState<{ id: string; editing: boolean } | null>(null);
  const jobs = useJobWindow(filter);
  const ready = jobs.loaded();
  // A User Timing mark when the list first shows real rows (or its empty state): what the
  // renderer benchmark measures, and what a profile of the window shows as "queue ready".
  useEffect(() => {
    if (ready) performance.mark('genqueue:queue-ready');
  }, [ready, jobs]);

  const actions = useMemo<JobRowActions>(
    () => ({
      onSelect(index, event) {
        setSelection((current) => {
          const ids = new Set(current.ids);
          if (event.shiftKey && current.anchor !== null) {
            const [from, to] = [Math.min(current.anchor, index), Math.max(current.anchor, index)];
            for (let i = from; i <= to; i++) {
              const id = jobs.at(i)?.id;
              if (id) ids.add(id);
            }
            return { ids, anchor: current.anchor };
          }
          const id = jobs.at(index)?.id;
          if (!id) return current;
          if (ids.has(id)) ids.delete(id);
          else ids.add(id);
          return { ids, anchor: index };
        });
      },
      onInspect: (id) => setInspected({ id, editing: false }),
      onEdit: (id) => setInspected({ id, editing: true }),
      onRetry: (id) => void act(() => client.call('jobs.retry', { ids: [id] })),
      onCancel: (id) => void act(() => client.call('jobs.cancel', { ids: [id] })),
      onOpen: (path) => void act(() => client.call('shell.open', { path })),
    }),
    [jobs, client, act],
  );

  const ids = [...selection.ids];
  const clear = () => setSelection(NOTHING);
  const bulk = (route: 'jobs.retry' | 'jobs.cancel' | 'jobs.remove', done: string) => () =>
    void act(async () => {
      const { count } = await client.call(route, { ids });
      if (route === 'jobs.remove') clear();
      return count;
    }, done);
  const selectAll = () =>
    void act(async () => setSelection({ ids: new Set(await jobs.allIds()), anchor: null }));
  const total = jobs.total();
  const active = stats ? filterCount('active', stats.counts) : 0;
  const filterLabel = FILTERS.find((item) => item.id === filter)?.label ?? '';

  return (
    <section className="view queue-view" aria-label="Queue">
      <header className="view-header">
        <div>
          <h1>Queue</h1>
          <p className="view-sub">
            {stats ? `${plural(stats.total, 'job')} · ${formatCount(active)} active` : ' '}
          </p>
        </div>
        <div className="header-actions">
          <button type="button" className="button" onClick={() => onAdd('folder')}>
            <Icon name="folder" /> Add folder
          </button>
          <button
            type="button"
            className="button primary"
            aria-keyshortcuts="Control+O"
            onClick={() => onAdd('files')}
          >
            <Icon name="plus" /> Add images
          </button>
        </div>
      </header>
      {recipe ? (
        <RecipeBar
          recipe={recipe}
          onChange={onRecipe}
          isDefault={isDefaultRecipe}
          onMakeDefault={onMakeDefault}
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
          onSelectAll={selectAll}
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
      <div className="queue-body">
        {jobs.loaded() && total === 0 ? (
          filter === 'all' ? (
            <EmptyState icon="upload" title="Your queue is empty">
              <p>Drop images or folders anywhere in this window, paste an image, or add them.</p>
              <button type="button" className="button primary" onClick={() => onAdd('files')}>
                <Icon name="image" /> Choose images…
              </button>
            </EmptyState>
          ) : (
            <EmptyState icon="check" title={`Nothing in “${filterLabel}”`} />
          )
        ) : (
          <JobList
            jobs={jobs}
            held={Boolean(stats?.paused)}
            selected={selection.ids}
            actions={actions}
            onSelectAll={selectAll}
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
