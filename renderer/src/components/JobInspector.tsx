// The details panel beside the queue: one job's thumbnails, stage, the error in full with Retry
// and Edit-and-retry, the decision for an ambiguous job, and every fact. A panel, not a dialog:
// the queue stays usable next to it.
import type { PauseReason } from '../../../main/contract/errors.ts';
import type { JobView } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { useJob } from '../hooks/use-job.ts';
import { useNow } from '../hooks/use-now.ts';
import { canCancel, canRetry, pausedLine, pausedWhy, progressOf } from '../lib/job-text.ts';
import { EditRetryForm } from './EditRetryForm.tsx';
import { Icon } from './Icon.tsx';
import { JobFacts } from './JobFacts.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { StagePill } from './StagePill.tsx';
import { Thumb } from './Thumb.tsx';

interface Props {
  id: string;
  editing: boolean;
  onEditing: (editing: boolean) => void;
  onClose: () => void;
  /** Why the queue is paused, if it is. */
  pause: PauseReason | null;
}

function Problem({ job, onEdit }: { job: JobView; onEdit: () => void }) {
  const { client, act } = useApp();
  const retry = () => act(() => client.call('jobs.retry', { ids: [job.id] }));
  if (job.stage === 'ambiguous') {
    return (
      <div className="callout warn" role="alert">
        <strong>This job needs your decision</strong>
        <p>{job.error?.message}</p>
        <div className="form-actions">
          <button type="button" className="button primary" onClick={retry}>
            Submit again (may be billed twice)
          </button>
          <button
            type="button"
            className="button"
            onClick={() => act(() => client.call('jobs.cancel', { ids: [job.id] }))}
          >
            Cancel it
          </button>
        </div>
      </div>
    );
  }
  if (!job.error || (job.stage !== 'failed' && job.stage !== 'waiting')) return null;
  return (
    <div className={`callout ${job.stage === 'failed' ? 'error' : 'warn'}`} role="alert">
      <strong>{job.stage === 'failed' ? 'Why it failed' : 'Why it is waiting'}</strong>
      <p>{job.error.message}</p>
      {job.stage === 'failed' && !canRetry(job) && (
        <p>Trying again cannot help: the file itself is the trouble. Fix it and add it again.</p>
      )}
      {job.stage === 'failed' && canRetry(job) && (
        <div className="form-actions">
          <button type="button" className="button primary" onClick={retry}>
            <Icon name="retry" size={14} /> Retry
          </button>
          <button type="button" className="button" onClick={onEdit}>
            <Icon name="edit" size={14} /> Edit and retry
          </button>
        </div>
      )}
    </div>
  );
}

export function JobInspector({ id, editing, onEditing, onClose, pause }: Props) {
  const { client, act } = useApp();
  const job = useJob(client, id);
  const now = useNow(job?.stage === 'waiting');
  if (job === undefined) return <aside className="inspector" aria-label="Job details" aria-busy />;
  const paused = job ? pausedWhy(job, pause) : undefined;
  const progress = job && !paused ? progressOf(job) : undefined;
  return (
    <aside className="inspector" aria-label="Job details">
      <header className="inspector-head">
        <h2 title={job?.source}>{job?.name ?? 'Job removed'}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {job && (
        <div className="inspector-body">
          <div className="inspector-thumbs">
            <figure>
              <Thumb job={job} className="thumb large" alt={`Source: ${job.name}`} />
              <figcaption>Source</figcaption>
            </figure>
            {job.results.length > 0 && (
              <figure>
                <Thumb
                  job={job}
                  which="result"
                  className="thumb large"
                  alt={`Result of ${job.name}`}
                />
                <figcaption>Result</figcaption>
              </figure>
            )}
          </div>
          <div className="inspector-stage">
            <StagePill stage={job.stage} paused={Boolean(paused)} />
            {progress && <ProgressBar fraction={progress.fraction} label={progress.label} />}
            {progress?.label && <span className="muted">{progress.label}</span>}
            {paused && <span className="muted">{pausedLine(job, paused)}</span>}
          </div>
          {editing && canRetry(job) ? (
            <EditRetryForm
              ids={[job.id]}
              recipe={job.recipe}
              success={`${job.name} is queued again with the new recipe.`}
              onDone={() => onEditing(false)}
            />
          ) : (
            <Problem job={job} onEdit={() => onEditing(true)} />
          )}
          <JobFacts job={job} now={now} />
          <div className="inspector-actions">
            <button
              type="button"
              className="button ghost"
              onClick={() => act(() => client.call('shell.reveal', { path: job.source }))}
            >
              <Icon name="folder" size={14} /> Show source
            </button>
            {job.results[0] && (
              <button
                type="button"
                className="button ghost"
                onClick={() => act(() => client.call('shell.open', { path: job.results[0]!.path }))}
              >
                <Icon name="open" size={14} /> Open result
              </button>
            )}
            {canCancel(job) && (
              <button
                type="button"
                className="button ghost"
                onClick={() => act(() => client.call('jobs.cancel', { ids: [job.id] }))}
              >
                <Icon name="close" size={14} /> Cancel job
              </button>
            )}
            <button
              type="button"
              className="button ghost danger"
              onClick={() => act(() => client.call('jobs.remove', { ids: [job.id] }))}
            >
              <Icon name="trash" size={14} /> Remove from list
            </button>
          </div>
        </div>
      )}
    </aside>
  );
}
