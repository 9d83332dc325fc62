// Whether the engine can reach APIMart: a snapshot on mount (so a window opened while offline
// says so at once), then every `net.status` event; whichever arrived last is the newest.
import { useEffect, useState } from 'react';
import type { NetStatus } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';

export function useNetStatus(client: EngineClient): NetStatus | null {
  const [status, setStatus] = useState<NetStatus | null>(null);
  useEffect(() => {
    let live = true;
    const off = client.on('net.status', ({ payload }) => setStatus(payload));
    client.call('net.status', {}).then(
      (value) => live && setStatus(value),
      () => {},
    );
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return status;
}
