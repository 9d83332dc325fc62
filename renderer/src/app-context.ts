// What every component may need besides its props: the engine client, the toasts, the shared
// thumbnail loader, the job lists by filter, and `act` — run an action, toast its error in words
// (or its success), and say whether it worked. Provided once by App; read with useApp.
import { createContext } from 'react';
import type { JobFilter } from '../../main/contract/schemas.ts';
import type { EngineClient } from './engine-client.ts';
import { createJobWindow, type JobWindow } from './lib/job-window.ts';
import type { ThumbnailLoader } from './lib/thumbnail-loader.ts';
import type { ToastStore } from './lib/toast-store.ts';

export interface AppServices {
  client: EngineClient;
  toasts: ToastStore;
  thumbnails: ThumbnailLoader;
  /**
   * The job list for a filter, kept for the life of the window: a view that comes back shows the
   * rows it had at once and refetches them while connected (use-job-window.ts).
   */
  jobWindow(filter: JobFilter): JobWindow;
  act(action: () => Promise<unknown>, success?: string): Promise<boolean>;
}

export const AppContext = createContext<AppServices | null>(null);

export function createServices(
  client: EngineClient,
  toasts: ToastStore,
  thumbnails: ThumbnailLoader,
  /** Job lists made before the app (main.tsx connects the queue's first). */
  made: JobWindow[] = [],
): AppServices {
  const windows = new Map<JobFilter, JobWindow>(made.map((jobs) => [jobs.filter, jobs]));
  return {
    client,
    toasts,
    thumbnails,
    jobWindow(filter) {
      let jobs = windows.get(filter);
      if (!jobs) windows.set(filter, (jobs = createJobWindow(client, filter)));
      return jobs;
    },
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
