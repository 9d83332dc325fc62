// A JobWindow for one filter, connected while the component that shows it is mounted; the
// component re-renders whenever the window changes (a page arrived, a job was patched).
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { JobFilter } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';
import { createJobWindow, type JobWindow } from '../lib/job-window.ts';

export function useJobWindow(client: EngineClient, filter: JobFilter): JobWindow {
  const jobs = useMemo(() => createJobWindow(client, filter), [client, filter]);
  useEffect(() => jobs.connect(), [jobs]);
  useSyncExternalStore(jobs.subscribe, jobs.version);
  return jobs;
}
