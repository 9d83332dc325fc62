// Reads a data directory's queue without taking it over: no lock, a read-only connection, no
// migrations. `genqueue status` and `genqueue jobs` use it, so they answer while another GenQueue
// processes the same queue, and they say whether one does (a job mid-stage in a queue nobody
// processes is interrupted, not under way).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { JobFilter, JobStage, JobView } from '../../contract/schemas.ts';
import { readLock } from './home-lock.ts';
import { createJobsStore, toJobView } from './jobs-store.ts';

/** Stages in which an engine is working on a job right now (a stopped engine left it there). */
export const IN_FLIGHT_STAGES: readonly JobStage[] = [
  'preparing',
  'uploading',
  'submitting',
  'running',
  'downloading',
];

export interface QueueReader {
  /** Who processes the queue now, if a live process does. */
  holder: ReturnType<typeof readLock>;
  counts(): Partial<Record<JobStage, number>>;
  /** Every job the filter selects, in queue order (as `jobs.list` shows them). */
  jobs(filter: JobFilter): JobView[];
}

/** Calls `read` with the queue in `home` (empty when there is none yet), then closes it. */
export function readQueue<T>(home: string, read: (reader: QueueReader) => T): T {
  const file = join(home, 'genqueue.db');
  const db = existsSync(file) ? new DatabaseSync(file, { readOnly: true, timeout: 5000 }) : null;
  const store = db && createJobsStore(db);
  try {
    return read({
      holder: readLock(home),
      counts: () => store?.counts() ?? {},
      jobs: (filter) => store?.list(filter, 0, -1).jobs.map(toJobView) ?? [],
    });
  } finally {
    db?.close();
  }
}
