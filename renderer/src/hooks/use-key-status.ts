// Whether an API key is set (never the key itself: it does not cross into the window), where it
// is kept, and whether the built-in simulator stands in for APIMart. `initial` is the status the
// window opened with (it decides whether onboarding is shown).
import { useCallback, useEffect, useState } from 'react';
import type { KeyStatus } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';

export interface KeyState {
  status: KeyStatus | null;
  initial: KeyStatus | null;
  setStatus: (next: KeyStatus) => void;
}

export function useKeyStatus(client: EngineClient): KeyState {
  const [state, setState] = useState<{ status: KeyStatus | null; initial: KeyStatus | null }>({
    status: null,
    initial: null,
  });
  useEffect(() => {
    let live = true;
    client.call('key.status', {}).then(
      (value) => live && setState({ status: value, initial: value }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);
  const setStatus = useCallback(
    (next: KeyStatus) => setState((now) => ({ status: next, initial: now.initial ?? next })),
    [],
  );
  return { ...state, setStatus };
}
