// How a job's state reads in the window: the stage in words (or that it stands paused), what its
// progress bar shows, and whether it can be retried or cancelled. One place, so the queue row, the
// inspector, the failure groups and the tests agree on every label.
import type { EngineError, ErrorCode, PauseReason } from '../../../main/contract/errors.ts';
import { formatUsd } from '../../../main/contract/money.ts';
import type { CapHold, JobFilter, JobStage, JobView } from '../../../main/contract/schemas.ts';
import { isFinished } from '../../../main/contract/stages.ts';
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

/** Failures that trying again cannot mend: the file itself is not an image, or is damaged. */
const HOPELESS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'not_image',
  'corrupt',
  'unsupported',
  'too_many_pixels',
]);

/**
 * Whether trying again (as it is, or with another recipe) may help after this error: the one rule
 * for Retry in rows, the details panel and failure groups. The error's own `retryable` flag says
 * yes; otherwise its code says whether the file is the trouble.
 */
export function retryHelps(error: Pick<EngineError, 'code' | 'retryable'> | undefined): boolean {
  return !error || error.retryable || !HOPELESS.has(error.code);
}

export function canRetry(job: JobView): boolean {
  if (job.stage === 'ambiguous' || job.stage === 'cancelled') return true;
  return job.stage === 'failed' && retryHelps(job.error);
}

export function canCancel(job: JobView): boolean {
  return !isFinished(job.stage);
}

/** The steps a person's pause stops; paid work (running, downloading) finishes under it. */
const NEW_WORK: ReadonlySet<JobStage> = new Set<JobStage>([
  'queued',
  'preparing',
  'uploading',
  'submitting',
]);

/** What a job stuck by a pause is waiting for, in words. */
const PAUSED_FOR: Record<PauseReason, string> = {
  user: 'the queue is paused',
  offline: 'waiting for the connection to APIMart',
  auth: 'waiting for a working API key',
  balance: 'waiting for balance on APIMart',
  disk: 'waiting for disk space',
};

/**
 * Why this job stands still because of a pause (its own, or the queue's for the step it is at),
 * or undefined when nothing holds it.
 */
export function pausedWhy(job: JobView, pause: PauseReason | null): string | undefined {
  if (isFinished(job.stage) || job.stage === 'ambiguous' || job.stage === 'waiting') return;
  if (job.held && job.capHold) return capWhy(job.capHold);
  if (job.held) return 'paused on its own';
  if (!pause || (pause === 'user' && !NEW_WORK.has(job.stage))) return undefined;
  return PAUSED_FOR[pause];
}

/** A job held at a spending cap, in a few words (its whole sentence is in its details). */
function capWhy(hold: CapHold): string {
  if (hold.scope === 'price') return 'waiting for the first image to say its price';
  return hold.capUsd === undefined
    ? 'held at a spending cap'
    : `held at the ${formatUsd(hold.capUsd)} cap`;
}

/** A paused job's line: where it stopped and what it waits for. */
export function pausedLine(job: JobView, why: string): string {
  const at = job.stage === 'queued' ? 'Not started' : `Stopped at ${STAGE_LABEL[job.stage]}`;
  return `${at}: ${why}.`;
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

/** A filter's name, as the queue's state makes it true ("Active" jobs are paused ones now). */
export function filterLabel(filter: JobFilter, paused: boolean): string {
  if (filter === 'active' && paused) return 'Paused';
  return FILTERS.find((item) => item.id === filter)?.label ?? '';
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
