// Keeps the desktop's own surfaces in step with the engine: the tray's counts, the taskbar/dock
// progress bar, the pause entry of the app menu, and coalesced OS notifications (shown only while
// the window is not in front; the window has its own toasts). Returns a disposer.
import { Notification, type BrowserWindow } from 'electron';
import type { EventEnvelope } from '../../contract/events.ts';
import type { QueueStats } from '../../contract/schemas.ts';
import { createBatchTracker, taskbarProgress } from './batch-progress.ts';
import { createNotificationPolicy, type Notice } from './notification-policy.ts';
import type { AppTray } from './tray.ts';

/** Failures within this long of the first one are told together. */
const FAILURE_WINDOW_MS = 20_000;

export interface FeedbackTargets {
  window(): BrowserWindow | undefined;
  tray: AppTray;
  showWindow(): void;
  pausedChanged(paused: boolean): void;
  icon?: string;
}

export function startFeedback(
  subscribe: (listener: (event: EventEnvelope) => void) => () => void,
  initial: QueueStats,
  targets: FeedbackTargets,
): () => void {
  const batches = createBatchTracker();
  const policy = createNotificationPolicy({ failureWindowMs: FAILURE_WINDOW_MS });
  const live = new Set<Notification>();
  let timer: NodeJS.Timeout | undefined;
  let paused = initial.paused !== null;

  function notify(notices: Notice[]): void {
    const window = targets.window();
    if (notices.length === 0 || !Notification.isSupported() || window?.isFocused()) return;
    for (const { title, body } of notices) {
      const notification = new Notification({
        title,
        body,
        ...(targets.icon && { icon: targets.icon }),
      });
      // Held until closed: a collected Notification loses its click handler on some systems.
      live.add(notification);
      notification.on('click', targets.showWindow);
      notification.on('close', () => live.delete(notification));
      notification.show();
    }
  }

  let armedAt: number | undefined;
  function arm(): void {
    const at = policy.nextDueAt();
    if (at === armedAt) return;
    clearTimeout(timer);
    armedAt = at;
    if (at === undefined) return;
    timer = setTimeout(
      () => {
        armedAt = undefined;
        notify(policy.due(Date.now()));
        arm();
      },
      Math.max(0, at - Date.now()),
    );
  }

  function onStats(stats: QueueStats): void {
    const batch = batches.update(stats);
    targets.tray.update(stats);
    const window = targets.window();
    if (window && !window.isDestroyed()) {
      const { value, mode } = taskbarProgress(batch, stats.paused !== null);
      window.setProgressBar(value, { mode });
    }
    if ((stats.paused !== null) !== paused) {
      paused = stats.paused !== null;
      targets.pausedChanged(paused);
    }
    notify(policy.stats(stats, batch));
    arm();
  }

  onStats(initial);
  const unsubscribe = subscribe((event) => {
    if (event.name === 'queue.stats') onStats(event.payload);
    else if (event.name === 'job.updated') {
      policy.job(event.payload, Date.now());
      arm();
    }
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
    for (const notification of live) notification.removeAllListeners();
    live.clear();
  };
}
