// The queue's counts and pause state, live: a snapshot on mount, then every `queue.stats` event;
// a gap in the event versions means something was missed, so the snapshot is fetched again.
import { useEffect, useState } from 'react';
import type { QueueStats } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';

export function useQueueStats(
  client: EngineClient,
): [QueueStats | null, (next: QueueStats) => void] {
  const [stats, setStats] = useState<QueueStats | null>(null);
  useEffect(() => {
    let live = true;
    let last = 0;
    const fetchStats = (): void => {
      client.call('queue.stats', {}).then(
        (next) => live && setStats(next),
        () => {},
      );
    };
    const off = client.on('queue.stats', ({ version, payload }) => {
      const gap = last !== 0 && version !== last + 1;
      last = version;
      if (gap) fetchStats();
      else setStats(payload);
    });
    fetchStats();
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return [stats, setStats];
}
