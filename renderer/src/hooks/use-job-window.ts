// The job list for one filter (kept by the app's services, so it survives switching views),
// connected to engine events while the component that shows it is mounted; the component
// re-renders whenever the window changes (a page arrived, a job was patched).
import { useEffect, useSyncExternalStore } from 'react';
import type { JobFilter } from '../../../main/contract/schemas.ts';
import type { JobWindow } from '../lib/job-window.ts';
import { useApp } from './use-app.ts';

export function useJobWindow(filter: JobFilter): JobWindow {
  const jobs = useApp().jobWindow(filter);
  useEffect(() => jobs.connect(), [jobs]);
  useSyncExternalStore(jobs.subscribe, jobs.version);
  return jobs;
}
