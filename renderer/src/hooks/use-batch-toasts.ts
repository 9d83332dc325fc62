// "Batch finished: 18 done, 2 failed": when the queue goes from busy to having nothing left to do,
// one toast sums up what happened since it became busy, in place of the toast that started the
// batch ("Queued 20 images", "3 jobs queued again"): a batch shows one toast at a time.
import { useEffect, useRef } from 'react';
import type { JobStage, QueueStats } from '../../../main/contract/schemas.ts';
import { isResting } from '../../../main/contract/stages.ts';
import { plural } from '../lib/format.ts';
import type { ToastStore } from '../lib/toast-store.ts';

/** The key of a batch's toasts: one at a time. */
const BATCH_TOAST = 'batch';

/** The toast for work just queued (added, or sent again), which the batch's summary replaces. */
export function batchStarted(toasts: ToastStore, message: string): void {
  toasts.push({ key: BATCH_TOAST, level: 'info', message });
}

function busyCount(stats: QueueStats): number {
  let busy = 0;
  for (const [stage, count] of Object.entries(stats.counts)) {
    if (!isResting(stage as JobStage)) busy += count;
  }
  return busy;
}

export function useBatchToasts(stats: QueueStats | null, toasts: ToastStore): void {
  const start = useRef<{ done: number; failed: number } | null>(null);
  useEffect(() => {
    if (!stats) return;
    const done = stats.counts.done ?? 0;
    const failed = stats.counts.failed ?? 0;
    const busy = busyCount(stats);
    if (busy > 0 && !start.current) start.current = { done, failed };
    if (busy === 0 && start.current) {
      const madeDone = done - start.current.done;
      const madeFailed = failed - start.current.failed;
      start.current = null;
      if (madeDone + madeFailed === 0) return;
      const parts: string[] = [];
      if (madeDone > 0) parts.push(`${plural(madeDone, 'job')} done`);
      if (madeFailed > 0) parts.push(`${plural(madeFailed, 'job')} failed`);
      toasts.push({
        key: BATCH_TOAST,
        level: madeFailed > 0 ? 'warning' : 'success',
        message: `Batch finished: ${parts.join(', ')}.`,
      });
    }
  }, [stats, toasts]);
}
