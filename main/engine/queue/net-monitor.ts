// Offline is a state of the queue, not a failure of a job. When a call cannot reach the service,
// a probe runs at once: if it too fails, the queue is offline and the probe retries with backoff;
// the first answer from the service (any HTTP status) puts the queue back online.
import type { NetStatus } from '../../contract/schemas.ts';
import { exponentialDelay } from '../util/backoff.ts';

export interface NetMonitor {
  readonly status: NetStatus;
  /** A call could not reach the service: check now, unless a check is already under way. */
  suspect(): void;
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
  let checking = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function set(next: NetStatus): void {
    status = next;
    if (!closed) options.onChange(next);
  }

  /** Probes; `failures` earlier probes in a row failed, and set how long the next one waits. */
  async function check(failures: number): Promise<void> {
    checking = true;
    try {
      await options.probe();
      checking = false;
      if (status.state === 'offline') set({ state: 'online', since: Date.now() });
    } catch {
      if (closed) return;
      const delay = exponentialDelay(failures, firstDelayMs, maxDelayMs);
      const nextProbeAt = Date.now() + delay;
      set({
        state: 'offline',
        since: status.state === 'offline' ? status.since : Date.now(),
        nextProbeAt,
      });
      timer = setTimeout(() => void check(failures + 1), delay);
    }
  }

  return {
    get status() {
      return status;
    },
    suspect() {
      if (!checking && !closed) void check(0);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
