// When the app speaks up through the OS: once when a batch ends (its counts), once per window
// for failures that happen mid-batch, once when the queue pauses by itself while work waits —
// never once per job. Decided from engine events with the time passed in, so it is testable
// without Electron or timers; the host asks nextDueAt() when to call due().
import type { PauseReason } from '../../contract/errors.ts';
import type { JobView, QueueStats } from '../../contract/schemas.ts';
import type { BatchSummary, BatchUpdate } from './batch-progress.ts';

export interface Notice {
  title: string;
  body: string;
}

export interface NotificationPolicy {
  /** A queue.stats payload, with the batch tracker's reading of it. */
  stats(stats: QueueStats, batch: BatchUpdate): Notice[];
  /** A job.updated payload: failures are collected here. */
  job(job: JobView, now: number): void;
  /** Notices whose coalescing window has passed. */
  due(now: number): Notice[];
  /** When due() next has something to say, if ever. */
  nextDueAt(): number | undefined;
}

const PAUSE_TEXT: Record<Exclude<PauseReason, 'user'>, string> = {
  offline:
    'APIMart cannot be reached. Jobs stay queued and resume by themselves when the connection is back.',
  auth: 'APIMart refused the API key. Jobs stay queued until a valid key is set.',
  balance: 'The APIMart balance has run out. Jobs stay queued until it is topped up.',
  disk: 'GenQueue cannot write results. Jobs stay queued until the output folder is writable again.',
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryText(summary: BatchSummary): string {
  const parts = [
    summary.done > 0 && `${summary.done} done`,
    summary.failed > 0 && `${summary.failed} failed`,
    summary.needsDecision > 0 && `${summary.needsDecision} need a decision`,
    summary.cancelled > 0 && `${summary.cancelled} cancelled`,
  ].filter((part) => part !== false);
  return `${parts.join(', ')}.`;
}

export function createNotificationPolicy(options: { failureWindowMs: number }): NotificationPolicy {
  /** Failures not yet told, oldest first; a job appears once until it is retried. */
  let pending: string[] = [];
  let windowStart: number | undefined;
  const failedIds = new Set<string>();
  const pausesTold = new Set<PauseReason>();
  let lastPause: PauseReason | null = null;

  function takeFailures(): Notice[] {
    if (pending.length === 0) return [];
    const [first] = pending;
    const more = pending.length - 1;
    const notice = {
      title: pending.length === 1 ? 'An image failed' : `${pending.length} images failed`,
      body: `${first ?? ''}${more > 0 ? ` (and ${plural(more, 'other', 'others')})` : ''}`,
    };
    pending = [];
    windowStart = undefined;
    return [notice];
  }

  return {
    job(job, now) {
      if (job.stage !== 'failed') {
        failedIds.delete(job.id);
        return;
      }
      if (failedIds.has(job.id)) return;
      failedIds.add(job.id);
      pending.push(`${job.name}: ${job.error?.message ?? 'it failed.'}`);
      windowStart ??= now;
    },

    stats(stats, batch) {
      const notices: Notice[] = [];
      const reason = stats.paused;
      if (reason && reason !== 'user' && reason !== lastPause && batch.running) {
        if (!pausesTold.has(reason)) {
          pausesTold.add(reason);
          const body =
            reason === 'disk' && stats.pauseMessage ? stats.pauseMessage : PAUSE_TEXT[reason];
          notices.push({ title: 'GenQueue paused', body });
        }
      }
      lastPause = reason;
      if (batch.ended) {
        const reasons = pending;
        pending = [];
        windowStart = undefined;
        const { done, failed, needsDecision } = batch.ended;
        if (done + failed + needsDecision > 0) {
          notices.push({
            title: failed > 0 ? 'Batch finished with failures' : 'Batch finished',
            body: [summaryText(batch.ended), ...reasons.slice(0, 1)].join(' '),
          });
        }
      }
      if (!batch.running) {
        pausesTold.clear();
        failedIds.clear();
      }
      return notices;
    },

    due(now) {
      return windowStart !== undefined && now >= windowStart + options.failureWindowMs
        ? takeFailures()
        : [];
    },

    nextDueAt() {
      return windowStart === undefined ? undefined : windowStart + options.failureWindowMs;
    },
  };
}
