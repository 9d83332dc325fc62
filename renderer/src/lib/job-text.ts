// How a job's state reads in the window: the stage in words, what its progress bar shows, and
// whether it can be retried or cancelled. One place, so the queue row, the inspector and the
// tests agree on every label.
import type { JobFilter, JobStage, JobView } from '../../../main/contract/schemas.ts';
import { formatBytes } from './format.ts';

export const STAGE_LABEL: Record<JobStage, string> = {
  queued: 'Queued',
  preparing: 'Preparing',
  uploading: 'Uploading',
  submitting: 'Submitting',
  running: 'Generating',
  downloading: 'Downloading',
  waiting: 'Waiting to retry',
  ambiguous: 'Needs decision',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The colour family of a stage's pill. */
export function stageTone(stage: JobStage): 'idle' | 'busy' | 'warn' | 'good' | 'bad' {
  if (stage === 'done') return 'good';
  if (stage === 'failed') return 'bad';
  if (stage === 'waiting' || stage === 'ambiguous') return 'warn';
  if (stage === 'queued' || stage === 'cancelled') return 'idle';
  return 'busy';
}

// The contract's FINISHED_STAGES, restated as a type-checked literal: importing schemas.ts at run
// time would pull all of zod into the window's bundle for three words.
const FINISHED: ReadonlySet<JobStage> = new Set<JobStage>(['done', 'failed', 'cancelled']);

export function isFinished(stage: JobStage): boolean {
  return FINISHED.has(stage);
}

export function canRetry(job: JobView): boolean {
  return job.stage === 'failed' || job.stage === 'cancelled' || job.stage === 'ambiguous';
}

export function canCancel(job: JobView): boolean {
  return !isFinished(job.stage);
}

export interface ProgressView {
  /** 0–1 when known; undefined draws an indeterminate bar. */
  fraction: number | undefined;
  label: string;
}

/** What the progress bar shows, or undefined for a stage without one. */
export function progressOf(job: JobView): ProgressView | undefined {
  const { progress, stage } = job;
  if (stage === 'uploading' && progress.bytesTotal) {
    const sent = progress.bytesSent ?? 0;
    return {
      fraction: Math.min(1, sent / progress.bytesTotal),
      label: `${formatBytes(sent)} of ${formatBytes(progress.bytesTotal)}`,
    };
  }
  if (stage === 'running' && progress.percent !== undefined) {
    const eta = progress.etaSeconds ? ` · about ${Math.ceil(progress.etaSeconds)} s left` : '';
    return { fraction: progress.percent / 100, label: `${Math.round(progress.percent)} %${eta}` };
  }
  if (['preparing', 'uploading', 'submitting', 'running', 'downloading'].includes(stage)) {
    return {
      fraction: progress.fraction,
      label: progress.fraction === undefined ? '' : `${Math.round(progress.fraction * 100)} %`,
    };
  }
  return undefined;
}

export const FILTERS: { id: JobFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'failed', label: 'Failed' },
  { id: 'done', label: 'Done' },
  { id: 'ambiguous', label: 'Needs decision' },
];

/** Whether a job in `stage` belongs in the list filtered by `filter` (mirrors the engine's filters). */
export function inFilter(filter: JobFilter, stage: JobStage): boolean {
  if (filter === 'all') return true;
  if (filter === 'active') return !isFinished(stage);
  if (filter === 'ambiguous') return stage === 'ambiguous';
  return stage === filter;
}

/** How many jobs each filter holds, from the queue's counts by stage. */
export function filterCount(filter: JobFilter, counts: Partial<Record<JobStage, number>>): number {
  let total = 0;
  for (const [stage, count] of Object.entries(counts) as [JobStage, number][]) {
    if (inFilter(filter, stage)) total += count;
  }
  return total;
}
