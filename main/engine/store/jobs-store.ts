// The one module that writes job state (its reads are in job-queries.ts). Every change is a
// transition checked against the state machine (DESIGN.md §3) and written in one statement or
// transaction, so a crash at any moment leaves each job at its last durable step. A job holding a
// task id can never be submitted again.
import { randomBytes } from 'node:crypto';
import { JOB_STAGES, type JobStage, type Recipe } from '../../contract/schemas.ts';
import { transaction, type Database } from './database.ts';
import { createJobQueries } from './job-queries.ts';
import { recipeKey, toRecord, type JobRecord, type Row } from './job-records.ts';

export {
  recipeKey,
  toJobView,
  type JobRecord,
  type PreparedRef,
  type ResultImageRef,
  type Submission,
} from './job-records.ts';

/** Fields a transition may change (besides the stage itself). */
export type JobPatch = Partial<
  Omit<JobRecord, 'id' | 'seq' | 'source' | 'recipeKey' | 'stage' | 'createdAt' | 'updatedAt'>
>;

const ALLOWED: Record<JobStage, readonly JobStage[]> = {
  queued: ['preparing', 'cancelled'],
  preparing: ['queued', 'uploading', 'waiting', 'failed', 'cancelled'],
  uploading: ['queued', 'preparing', 'submitting', 'waiting', 'failed', 'cancelled'],
  submitting: [
    'uploading',
    'running',
    'downloading', // a synchronous result: the images came with the answer
    'waiting',
    'ambiguous',
    'failed',
    'cancelled',
  ],
  running: ['downloading', 'waiting', 'failed', 'cancelled'],
  downloading: ['done', 'waiting', 'failed', 'cancelled'],
  waiting: [
    'queued',
    'preparing',
    'uploading',
    'submitting',
    'running',
    'downloading',
    'failed',
    'cancelled',
  ],
  ambiguous: ['submitting', 'cancelled', 'failed'],
  done: ['queued'],
  failed: ['queued', 'running', 'downloading'],
  cancelled: ['queued'],
};

/** For each stage, the stages a job may come from (itself included: a patch in place). */
const FROM = Object.fromEntries(
  JOB_STAGES.map((to) => [
    to,
    JOB_STAGES.filter((from) => from === to || ALLOWED[from].includes(to)),
  ]),
) as Record<JobStage, JobStage[]>;

const JSON_COLUMNS = {
  recipe: 'recipe',
  prepared: 'prepared',
  report: 'report',
  resultImages: 'result_images',
  results: 'results',
  error: 'error',
  timings: 'timings',
  capHold: 'cap_hold',
  submission: 'submission',
} as const;
const PLAIN_COLUMNS = {
  sourceHash: 'source_hash',
  resumeStage: 'resume_stage',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  uploadUrl: 'upload_url',
  uploadExpiresAt: 'upload_expires_at',
  submitIntendedAt: 'submit_intended_at',
  taskId: 'task_id',
  taskProgress: 'task_progress',
  taskEta: 'task_eta',
  finishedAt: 'finished_at',
  costMicros: 'cost_micros',
} as const;

function newJobId(): string {
  return `j_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

export interface NewJob {
  source: string;
  recipe: Recipe;
  simulated: boolean;
  forced?: boolean;
}

export type JobsStore = ReturnType<typeof createJobsStore>;

export function createJobsStore(db: Database) {
  const queries = createJobQueries(db);
  const mustGet = queries.require;
  const insert = db.prepare(
    `INSERT INTO jobs (id, seq, source, recipe, recipe_key, stage, simulated, forced, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
  );
  const maxSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM jobs');
  const minSeq = db.prepare('SELECT COALESCE(MIN(seq), 0) AS seq FROM jobs');
  const updates = new Map<string, ReturnType<Database['prepare']>>();
  function update(sql: string): ReturnType<Database['prepare']> {
    let statement = updates.get(sql);
    if (!statement) updates.set(sql, (statement = db.prepare(sql)));
    return statement;
  }

  /**
   * Writes the move in one statement: the state machine's check is part of the WHERE clause, so
   * the move is atomic without a transaction, and RETURNING hands back the row as written.
   */
  function write(id: string, to: JobStage, patch: JobPatch, now: number): Row | undefined {
    const sets = ['stage = ?', 'updated_at = ?'];
    const values: (string | number | null)[] = [to, now];
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'simulated' || key === 'held' || key === 'forced') {
        sets.push(`${key} = ?`);
        values.push(value ? 1 : 0);
      } else if (key in JSON_COLUMNS) {
        sets.push(`${JSON_COLUMNS[key as keyof typeof JSON_COLUMNS]} = ?`);
        values.push(value == null ? null : JSON.stringify(value));
        if (key === 'recipe') {
          // An edited recipe is another piece of work: the duplicate guards compare its key.
          sets.push('recipe_key = ?');
          values.push(recipeKey(value as Recipe));
        }
      } else if (key in PLAIN_COLUMNS) {
        sets.push(`${PLAIN_COLUMNS[key as keyof typeof PLAIN_COLUMNS]} = ?`);
        values.push((value as string | number | null | undefined) ?? null);
      } else {
        throw new Error(`Unknown job field ${key}`);
      }
    }
    const from = FROM[to];
    const neverPaid = to === 'submitting' ? ' AND task_id IS NULL' : '';
    const sql = `UPDATE jobs SET ${sets.join(', ')} WHERE id = ? AND stage IN (${from.map(() => '?').join(', ')})${neverPaid} RETURNING *`;
    return update(sql).get(...values, id, ...from);
  }

  return {
    ...queries,

    enqueue(jobs: readonly NewJob[], now = Date.now()): string[] {
      return transaction(db, () => {
        let seq = Number(maxSeq.get()?.seq ?? 0);
        return jobs.map((job) => {
          const id = newJobId();
          insert.run(
            id,
            ++seq,
            job.source,
            JSON.stringify(job.recipe),
            recipeKey(job.recipe),
            job.simulated ? 1 : 0,
            job.forced ? 1 : 0,
            now,
            now,
          );
          return id;
        });
      });
    },

    /**
     * Moves a job to `to`, checking the state machine. Throws when the move is not allowed,
     * including any attempt to submit a job that already holds a task id (never pay twice).
     */
    transition(id: string, to: JobStage, patch: JobPatch = {}, now = Date.now()): JobRecord {
      if (to === 'submitting' && patch.taskId) {
        throw new Error(
          `Job ${id} cannot be submitted with a task id: it is polled, never resubmitted.`,
        );
      }
      const row = write(id, to, patch, now);
      if (row) return toRecord(row);
      // Refused: say why, from the row as it is.
      const job = mustGet(id);
      if (to === 'submitting' && job.taskId) {
        throw new Error(
          `Job ${id} already has task ${job.taskId}: it is polled, never resubmitted.`,
        );
      }
      throw new Error(`A job cannot move from ${job.stage} to ${to}.`);
    },

    moveToTop(id: string): void {
      db.prepare('UPDATE jobs SET seq = ? WHERE id = ?').run(
        Number(minSeq.get()?.seq ?? 0) - 1,
        id,
      );
    },

    remove(ids: readonly string[]): number {
      return transaction(db, () => {
        const del = db.prepare('DELETE FROM jobs WHERE id = ?');
        return ids.reduce((n, id) => n + Number(del.run(id).changes), 0);
      });
    },

    clearFinished(): string[] {
      return transaction(db, () => {
        const ids = db
          .prepare("SELECT id FROM jobs WHERE stage IN ('done', 'cancelled')")
          .all()
          .map((row) => String(row.id));
        db.prepare("DELETE FROM jobs WHERE stage IN ('done', 'cancelled')").run();
        return ids;
      });
    },
  };
}
