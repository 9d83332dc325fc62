// Whether the engine can reach APIMart, from `net.status` events (the latest one wins; there is
// no snapshot route, and until the first event the engine has not seen a problem).
import { useEffect, useState } from 'react';
import type { NetStatus } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';

export function useNetStatus(client: EngineClient): NetStatus | null {
  const [status, setStatus] = useState<NetStatus | null>(null);
  useEffect(() => client.on('net.status', ({ payload }) => setStatus(payload)), [client]);
  return status;
}
