// What every component may need besides its props: the engine client, the toasts, the shared
// thumbnail loader, and `act` — run an action, toast its error in words (or its success), and
// say whether it worked. Provided once by App; read with useApp.
import { createContext } from 'react';
import type { EngineClient } from './engine-client.ts';
import type { ThumbnailLoader } from './lib/thumbnail-loader.ts';
import type { ToastStore } from './lib/toast-store.ts';

export interface AppServices {
  client: EngineClient;
  toasts: ToastStore;
  thumbnails: ThumbnailLoader;
  act(action: () => Promise<unknown>, success?: string): Promise<boolean>;
}

export const AppContext = createContext<AppServices | null>(null);

export function createServices(
  client: EngineClient,
  toasts: ToastStore,
  thumbnails: ThumbnailLoader,
): AppServices {
  return {
    client,
    toasts,
    thumbnails,
    async act(action, success) {
      try {
        await action();
        if (success) toasts.push({ level: 'success', message: success });
        return true;
      } catch (error) {
        toasts.push({
          level: 'error',
          message: error instanceof Error ? error.message : String(error),
        });
        return false;
      }
    },
  };
}
