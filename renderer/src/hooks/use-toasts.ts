// The toasts on screen, from the shared ToastStore, plus the engine's `notice` events turned into
// toasts for as long as the component is mounted.
import { useEffect, useSyncExternalStore } from 'react';
import type { EngineClient } from '../engine-client.ts';
import type { Toast, ToastStore } from '../lib/toast-store.ts';

export function useToasts(client: EngineClient, toasts: ToastStore): readonly Toast[] {
  useEffect(
    () =>
      client.on('notice', ({ payload }) =>
        toasts.push({ level: payload.level, message: payload.message }),
      ),
    [client, toasts],
  );
  return useSyncExternalStore(toasts.subscribe, toasts.list);
}
