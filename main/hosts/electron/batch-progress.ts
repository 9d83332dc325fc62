// A "batch" as a person sees it: it starts when the queue gets work while idle and ends when
// nothing is left to move. From the stream of queue.stats this keeps the batch's own counts
// (earlier history excluded), its progress for the taskbar/dock, and a summary when it ends.
import type { QueueStats } from '../../contract/schemas.ts';
import { activeCount } from './queue-summary.ts';

export interface BatchSummary {
  done: number;
  failed: number;
  cancelled: number;
  needsDecision: number;
}

export interface BatchUpdate {
  /** True while the batch has jobs still to move. */
  running: boolean;
  /** Finished share of the batch, 0–1 (0 when idle). */
  fraction: number;
  /** Jobs of this batch that failed so far. */
  failed: number;
  /** Set once, on the update that ends a batch in which something happened. */
  ended?: BatchSummary;
}

type Tally = BatchSummary;

function tally(stats: QueueStats): Tally {
  return {
    done: stats.counts.done ?? 0,
    failed: stats.counts.failed ?? 0,
    cancelled: stats.counts.cancelled ?? 0,
    needsDecision: stats.counts.ambiguous ?? 0,
  };
}

function each(value: (key: keyof Tally) => number): Tally {
  return {
    done: value('done'),
    failed: value('failed'),
    cancelled: value('cancelled'),
    needsDecision: value('needsDecision'),
  };
}

export interface BatchTracker {
  update(stats: QueueStats): BatchUpdate;
}

export function createBatchTracker(): BatchTracker {
  let base: Tally | undefined;
  return {
    update(stats) {
      const active = activeCount(stats);
      const now = tally(stats);
      if (!base && active === 0) return { running: false, fraction: 0, failed: 0 };
      // A batch starts from the counts it found. They fall when a failed job is retried or
      // finished jobs are cleared: the start falls with them, so the batch never counts below 0.
      const previous = base ?? now;
      const start = each((key) => Math.min(previous[key], now[key]));
      base = start;
      const own = each((key) => now[key] - start[key]);
      const finished = own.done + own.failed + own.cancelled + own.needsDecision;
      if (active === 0) {
        base = undefined;
        return {
          running: false,
          fraction: 0,
          failed: 0,
          ...(finished > 0 && { ended: own }),
        };
      }
      return { running: true, fraction: finished / (finished + active), failed: own.failed };
    },
  };
}

export type ProgressMode = 'none' | 'normal' | 'indeterminate' | 'error' | 'paused';

/**
 * What BrowserWindow.setProgressBar should show: nothing when idle, a bar while a batch runs
 * (indeterminate before the first job finishes), Windows' paused and error colours when the
 * queue is paused or some of the batch failed.
 */
export function taskbarProgress(
  batch: BatchUpdate,
  paused: boolean,
): { value: number; mode: ProgressMode } {
  if (!batch.running) return { value: -1, mode: 'none' };
  if (paused) return { value: Math.max(batch.fraction, 0.01), mode: 'paused' };
  if (batch.fraction === 0) return { value: 2, mode: 'indeterminate' };
  return { value: batch.fraction, mode: batch.failed > 0 ? 'error' : 'normal' };
}
