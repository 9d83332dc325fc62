// One job in the queue: the result's thumbnail once done (the source's before), name, before →
// after, the prompt, stage with its progress (or "Paused" while a pause holds it), the error in
// plain words with the whole of it on demand, and the actions that fit its stage. Rows are
// recycled by the virtual list and re-render only when their job changes.
import { memo, type MouseEvent } from 'react';
import type { PauseReason } from '../../../main/contract/errors.ts';
import type { JobView } from '../../../main/contract/schemas.ts';
import { beforeAfter, formatBytes, formatDimensions, plural, relativeTime } from '../lib/format.ts';
import { canCancel, canRetry, pausedLine, pausedWhy, progressOf } from '../lib/job-text.ts';
import { modelLabel } from '../lib/recipe.ts';
import { Icon } from './Icon.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { StagePill } from './StagePill.tsx';
import { Thumb } from './Thumb.tsx';

export interface JobRowActions {
  onSelect(index: number, event: MouseEvent | { shiftKey: boolean; toggle: boolean }): void;
  onInspect(id: string): void;
  onRetry(id: string): void;
  onEdit(id: string): void;
  onCancel(id: string): void;
  onOpen(path: string): void;
  /** Show or hide the whole error under the row. */
  onToggleError(id: string): void;
}

interface Props {
  job: JobView;
  index: number;
  total: number;
  selected: boolean;
  focused: boolean;
  /** The clock, only for a job that shows a countdown (0 otherwise, so other rows stay put). */
  now: number;
  /** Why the queue is paused, if it is: a job held by it says so instead of its stage. */
  pause: PauseReason | null;
  /** The whole error is shown under the row. */
  expanded: boolean;
  actions: JobRowActions;
}

interface Line {
  text: string;
  tone: 'error' | 'warn' | 'plain';
}

function resultLine(job: JobView): Line {
  const first = job.results[0];
  if (!first) return { text: 'Done.', tone: 'plain' };
  const count = job.results.length > 1 ? `${plural(job.results.length, 'result')} · ` : '';
  return {
    text: `Result: ${count}${formatDimensions(first)} ${first.format.toUpperCase()}, ${formatBytes(first.bytes)}`,
    tone: 'plain',
  };
}

function detail(job: JobView, now: number, paused: string | undefined): Line {
  if (paused) return { text: pausedLine(job, paused), tone: 'plain' };
  if (job.stage === 'failed' && job.error) return { text: job.error.message, tone: 'error' };
  if (job.stage === 'ambiguous') return { text: job.error?.message ?? '', tone: 'warn' };
  if (job.stage === 'waiting') {
    const when = job.nextAttemptAt ? relativeTime(job.nextAttemptAt, now) : 'soon';
    const why = job.error ? `${job.error.message} ` : '';
    return { text: `${why}Retrying ${when}.`, tone: 'warn' };
  }
  if (job.stage === 'done') return resultLine(job);
  if (job.stage === 'queued') return { text: 'Waiting for a free slot.', tone: 'plain' };
  if (job.stage === 'cancelled') return { text: 'Cancelled.', tone: 'plain' };
  return { text: progressOf(job)?.label ?? '', tone: 'plain' };
}

function RowActions({ job, actions }: { job: JobView; actions: JobRowActions }) {
  const result = job.stage === 'done' ? job.results[0] : undefined;
  return (
    <div className="job-actions" onClick={(event) => event.stopPropagation()}>
      {canRetry(job) && job.stage !== 'ambiguous' && (
        <>
          <button
            type="button"
            className="button small"
            aria-label={`Retry ${job.name}`}
            onClick={() => actions.onRetry(job.id)}
          >
            <Icon name="retry" size={14} /> Retry
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Edit and retry ${job.name}`}
            title="Edit and retry"
            onClick={() => actions.onEdit(job.id)}
          >
            <Icon name="edit" size={15} />
          </button>
        </>
      )}
      {job.stage === 'ambiguous' && (
        <button
          type="button"
          className="button small warn"
          onClick={() => actions.onInspect(job.id)}
        >
          Decide…
        </button>
      )}
      {result && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Open the result of ${job.name}`}
          title="Open result"
          onClick={() => actions.onOpen(result.path)}
        >
          <Icon name="open" size={15} />
        </button>
      )}
      {canCancel(job) && job.stage !== 'ambiguous' && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Cancel ${job.name}`}
          title="Cancel"
          onClick={() => actions.onCancel(job.id)}
        >
          <Icon name="close" size={15} />
        </button>
      )}
    </div>
  );
}

function JobRowView(props: Props) {
  const { job, index, total, selected, focused, now, pause, expanded, actions } = props;
  const paused = pausedWhy(job, pause);
  const progress = paused ? undefined : progressOf(job);
  const line = detail(job, now, paused);
  const error = job.error && !paused ? job.error.message : undefined;
  const done = job.stage === 'done' && job.results.length > 0;
  return (
    <div
      role="listitem"
      aria-posinset={index + 1}
      aria-setsize={total}
      aria-label={job.name}
      className="job-row"
      data-stage={job.stage}
      data-selected={selected}
      data-expanded={expanded && Boolean(error)}
      tabIndex={focused ? 0 : -1}
      onClick={(event) => {
        if (event.shiftKey || event.ctrlKey || event.metaKey) actions.onSelect(index, event);
        else actions.onInspect(job.id);
      }}
    >
      <input
        type="checkbox"
        className="row-check"
        checked={selected}
        aria-label={`Select ${job.name}`}
        tabIndex={-1}
        onClick={(event) => {
          event.stopPropagation();
          actions.onSelect(index, { shiftKey: event.shiftKey, toggle: true });
        }}
        readOnly
      />
      <Thumb
        job={job}
        which={done ? 'result' : 'source'}
        alt={done ? `Result of ${job.name}` : ''}
      />
      <div className="job-main">
        <div className="job-title">
          <span className="job-name" title={job.source}>
            {job.name}
          </span>
          {job.simulated && <span className="badge">Simulated</span>}
          {job.attempts > 1 && <span className="badge subtle">Attempt {job.attempts}</span>}
        </div>
        <div className="job-facts">
          {job.report ? beforeAfter(job.report) : 'Not prepared yet'} ·{' '}
          {modelLabel(job.recipe.model)}
        </div>
        <div className={`job-detail tone-${line.tone}`}>
          <span className="job-detail-text">{line.text}</span>
          {error && (
            <button
              type="button"
              className="link-button small"
              aria-expanded={expanded}
              aria-label={`${expanded ? 'Hide' : 'Show'} the whole error of ${job.name}`}
              onClick={(event) => {
                event.stopPropagation();
                actions.onToggleError(job.id);
              }}
            >
              {expanded ? 'Less' : 'More'}
            </button>
          )}
        </div>
      </div>
      <p className="job-prompt" title={job.recipe.prompt}>
        {job.recipe.prompt}
      </p>
      <div className="job-state">
        <StagePill stage={job.stage} paused={Boolean(paused)} />
        {progress && <ProgressBar fraction={progress.fraction} label={progress.label} />}
      </div>
      <RowActions job={job} actions={actions} />
      {expanded && error && <p className="job-error-full">{error}</p>}
    </div>
  );
}

export const JobRow = memo(JobRowView);
