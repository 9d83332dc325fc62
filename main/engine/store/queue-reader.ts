// Reads a data directory's queue without taking it over: no lock, a read-only connection, no
// migrations. `genqueue status` and `genqueue jobs` use it, so they answer while another GenQueue
// processes the same queue, and they say whether one does (a job mid-stage in a queue nobody
// processes is interrupted, not under way).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SpendTotals } from '../../contract/money.ts';
import type { JobFilter, JobStage, JobView } from '../../contract/schemas.ts';
import { readSpendTotals } from '../money/spend-store.ts';
import { isNotADatabase, moveDatabaseAside, openForReading, type Database } from './database.ts';
import { readLock } from './home-lock.ts';
import { createJobsStore, toJobView, type JobsStore } from './jobs-store.ts';

export interface QueueReader {
  /** Who processes the queue now, if a live process does. */
  holder: ReturnType<typeof readLock>;
  /** Said when the database could not be read and was moved aside (the queue is then empty). */
  notice?: string;
  counts(): Partial<Record<JobStage, number>>;
  /** What was spent: today, in all, per model (engine/money/). */
  spend(): SpendTotals;
  /** Lost answers resent, replays, and the jobs needing a decision by cause (job-queries.ts). */
  submissionPaths(): ReturnType<JobsStore['submissionPaths']>;
  /** Every job the filter selects, in queue order (as `jobs.list` shows them). */
  jobs(filter: JobFilter): JobView[];
}

/**
 * Calls `read` with the queue in `home` (empty when there is none yet), then closes it. A queue on
 * a read-only disk is still read; one that is not a database, and that no live GenQueue holds, is
 * moved aside (kept for recovery) as the engine would at its next start.
 */
export function readQueue<T>(home: string, read: (reader: QueueReader) => T): T {
  const file = join(home, 'genqueue.db');
  const holder = readLock(home);
  let db: Database | null = null;
  let notice: string | undefined;
  try {
    db = existsSync(file) ? openForReading(file) : null;
  } catch (thrown) {
    if (!isNotADatabase(thrown) || holder) throw thrown;
    notice = moveDatabaseAside(file);
  }
  const store = db && createJobsStore(db);
  try {
    return read({
      holder,
      ...(notice && { notice }),
      counts: () => store?.counts() ?? {},
      spend: () =>
        db
          ? readSpendTotals(db)
          : { todayUsd: 0, totalUsd: 0, tasks: 0, unknownTasks: 0, byModel: [] },
      submissionPaths: () => store?.submissionPaths() ?? { resent: 0, replayed: 0, undecided: {} },
      jobs: (filter) => store?.list(filter, 0, -1).jobs.map(toJobView) ?? [],
    });
  } finally {
    db?.close();
  }
}
