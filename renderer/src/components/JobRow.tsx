// One job in the queue: thumbnail, name, before → after, stage with its progress, attempts and the
// next retry, the error in plain words, and the actions that fit its stage. Rows are recycled by
// the virtual list and re-render only when their job changes.
import { memo, type MouseEvent } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { beforeAfter, formatBytes, formatDimensions, plural, relativeTime } from '../lib/format.ts';
import { canCancel, canRetry, progressOf } from '../lib/job-text.ts';
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
}

interface Props {
  job: JobView;
  index: number;
  total: number;
  selected: boolean;
  focused: boolean;
  /** The clock, only for a job that shows a countdown (0 otherwise, so other rows stay put). */
  now: number;
  /** The queue is paused: a queued job waits for that, not for a free slot. */
  held: boolean;
  actions: JobRowActions;
}

function detail(
  job: JobView,
  now: number,
  held: boolean,
): { text: string; tone: 'error' | 'warn' | 'plain' } {
  if (job.stage === 'failed' && job.error) return { text: job.error.message, tone: 'error' };
  if (job.stage === 'ambiguous') return { text: job.error?.message ?? '', tone: 'warn' };
  if (job.stage === 'waiting') {
    const when = job.nextAttemptAt ? relativeTime(job.nextAttemptAt, now) : 'soon';
    const why = job.error ? `${job.error.message} ` : '';
    return { text: `${why}Retrying ${when}.`, tone: 'warn' };
  }
  if (job.stage === 'done') {
    const first = job.results[0];
    if (!first) return { text: 'Done.', tone: 'plain' };
    const count = job.results.length > 1 ? `${plural(job.results.length, 'result')} · ` : '';
    return {
      text: `Result: ${count}${formatDimensions(first)} ${first.format.toUpperCase()}, ${formatBytes(first.bytes)}`,
      tone: 'plain',
    };
  }
  if (job.stage === 'queued')
    return {
      text: held ? 'Held while the queue is paused.' : 'Waiting for a free slot.',
      tone: 'plain',
    };
  if (job.stage === 'cancelled') return { text: 'Cancelled.', tone: 'plain' };
  return { text: progressOf(job)?.label ?? '', tone: 'plain' };
}

function JobRowView({ job, index, total, selected, focused, now, held, actions }: Props) {
  const progress = progressOf(job);
  const line = detail(job, now, held);
  const stop = (event: MouseEvent) => event.stopPropagation();
  return (
    <div
      role="listitem"
      aria-posinset={index + 1}
      aria-setsize={total}
      aria-label={job.name}
      className="job-row"
      data-stage={job.stage}
      data-selected={selected}
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
      <Thumb job={job} />
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
        <div className={`job-detail tone-${line.tone}`} title={line.text}>
          {line.text}
        </div>
      </div>
      <div className="job-state">
        <StagePill stage={job.stage} />
        {progress && <ProgressBar fraction={progress.fraction} label={progress.label} />}
      </div>
      <div className="job-actions" onClick={stop}>
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
        {job.stage === 'done' && job.results[0] && (
          <button
            type="button"
            className="icon-button"
            aria-label={`Open the result of ${job.name}`}
            title="Open result"
            onClick={() => actions.onOpen(job.results[0]!.path)}
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
    </div>
  );
}

export const JobRow = memo(JobRowView);
