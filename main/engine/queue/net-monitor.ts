// Offline is a state of the queue, not a failure of a job: when a call finds the network gone the
// queue pauses, a probe retries with backoff, and the first answer from the service (any HTTP
// status) resumes everything. Attempts are never spent while offline.
import type { NetStatus } from '../../contract/schemas.ts';

export interface NetMonitor {
  readonly status: NetStatus;
  /** Report that a call could not reach the service. Starts probing if not already. */
  wentOffline(): void;
  close(): void;
}

export function createNetMonitor(options: {
  /** Resolves when the service answered (with any status); rejects when it could not be reached. */
  probe: () => Promise<void>;
  onChange: (status: NetStatus) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
}): NetMonitor {
  const firstDelayMs = options.firstDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let status: NetStatus = { state: 'online', since: Date.now() };
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function set(next: NetStatus): void {
    status = next;
    options.onChange(next);
  }

  function scheduleProbe(delay: number): void {
    if (closed) return;
    const at = Date.now() + delay;
    set({ ...status, nextProbeAt: at });
    timer = setTimeout(() => {
      options.probe().then(
        () => {
          timer = undefined;
          if (!closed) set({ state: 'online', since: Date.now() });
        },
        () => scheduleProbe(Math.min(maxDelayMs, delay * 2)),
      );
    }, delay);
  }

  return {
    get status() {
      return status;
    },
    wentOffline() {
      if (status.state === 'offline' || closed) return;
      status = { state: 'offline', since: Date.now() };
      scheduleProbe(firstDelayMs);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
