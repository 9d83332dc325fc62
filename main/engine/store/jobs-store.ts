// The one module that writes job state. Every change is a transition checked against the state
// machine (DESIGN.md §3) and written in one statement or transaction, so a crash at any moment
// leaves each job at its last durable step. A job holding a task id can never be submitted again.
import { randomBytes } from 'node:crypto';
import { basename, sep } from 'node:path';
import { EngineFailure, engineError, type EngineError } from '../../contract/errors.ts';
import {
  JOB_STAGES,
  type JobFilter,
  type JobStage,
  type JobView,
  type PreflightReport,
  type Recipe,
  type ResultFile,
} from '../../contract/schemas.ts';
import { transaction, type Database } from './database.ts';

/** What a job remembers of its prepared image (the preflight output). */
export interface PreparedRef {
  path: string;
  bytes: number;
  format: string;
  contentType: string;
  width: number;
  height: number;
  sha256: string;
}
export interface ResultImageRef {
  url: string;
  expiresAt?: number;
}

export interface JobRecord {
  id: string;
  seq: number;
  source: string;
  sourceHash: string | null;
  recipe: Recipe;
  recipeKey: string;
  stage: JobStage;
  resumeStage: JobStage | null;
  attempts: number;
  nextAttemptAt: number | null;
  prepared: PreparedRef | null;
  report: PreflightReport | null;
  uploadUrl: string | null;
  uploadExpiresAt: number | null;
  submitIntendedAt: number | null;
  taskId: string | null;
  taskProgress: number | null;
  taskEta: number | null;
  resultImages: ResultImageRef[] | null;
  results: ResultFile[];
  error: EngineError | null;
  simulated: boolean;
  /** Paused by the user: not taken by any pool until resumed. */
  held: boolean;
  /** Queued with "force": the duplicate guard lets it through. */
  forced: boolean;
  timings: Record<string, number>;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Fields a transition may change (besides the stage itself). */
export type JobPatch = Partial<
  Omit<JobRecord, 'id' | 'seq' | 'source' | 'recipeKey' | 'stage' | 'createdAt' | 'updatedAt'>
>;

const ALLOWED: Record<JobStage, readonly JobStage[]> = {
  queued: ['preparing', 'cancelled'],
  preparing: ['queued', 'uploading', 'waiting', 'failed', 'cancelled'],
  uploading: ['queued', 'preparing', 'submitting', 'waiting', 'failed', 'cancelled'],
  submitting: ['uploading', 'running', 'waiting', 'ambiguous', 'failed', 'cancelled'],
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
} as const;

type Row = Record<string, unknown>;

function parseJson<T>(value: unknown, fallback: T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : fallback;
}

function toRecord(row: Row): JobRecord {
  return {
    id: String(row.id),
    seq: Number(row.seq),
    source: String(row.source),
    sourceHash: (row.source_hash as string | null) ?? null,
    recipe: parseJson(row.recipe, {} as Recipe),
    recipeKey: String(row.recipe_key),
    stage: row.stage as JobStage,
    resumeStage: (row.resume_stage as JobStage | null) ?? null,
    attempts: Number(row.attempts),
    nextAttemptAt: (row.next_attempt_at as number | null) ?? null,
    prepared: parseJson(row.prepared, null),
    report: parseJson(row.report, null),
    uploadUrl: (row.upload_url as string | null) ?? null,
    uploadExpiresAt: (row.upload_expires_at as number | null) ?? null,
    submitIntendedAt: (row.submit_intended_at as number | null) ?? null,
    taskId: (row.task_id as string | null) ?? null,
    taskProgress: (row.task_progress as number | null) ?? null,
    taskEta: (row.task_eta as number | null) ?? null,
    resultImages: parseJson(row.result_images, null),
    results: parseJson(row.results, []),
    error: parseJson(row.error, null),
    simulated: Number(row.simulated) === 1,
    held: Number(row.held) === 1,
    forced: Number(row.forced) === 1,
    timings: parseJson(row.timings, {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    finishedAt: (row.finished_at as number | null) ?? null,
  };
}

export function toJobView(job: JobRecord): JobView {
  return {
    id: job.id,
    source: job.source,
    name: basename(job.source),
    recipe: job.recipe,
    stage: job.stage,
    progress: job.taskProgress != null ? { percent: job.taskProgress } : {},
    attempts: job.attempts,
    ...(job.nextAttemptAt != null && { nextAttemptAt: job.nextAttemptAt }),
    ...(job.error && { error: job.error }),
    ...(job.taskId && { taskId: job.taskId }),
    ...(job.report && { report: job.report }),
    results: job.results,
    simulated: job.simulated,
    held: job.held,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** A stable key for "the same recipe": what would make the generation differ. */
export function recipeKey(recipe: Recipe): string {
  const { model, prompt, size, resolution, n } = recipe;
  return JSON.stringify([model, prompt, size ?? null, resolution ?? null, n ?? 1]);
}

function newJobId(): string {
  return `j_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

const FILTERS: Record<JobFilter, string> = {
  all: '1 = 1',
  active: "stage NOT IN ('done', 'failed', 'cancelled')",
  failed: "stage = 'failed'",
  done: "stage = 'done'",
  ambiguous: "stage = 'ambiguous'",
};

export interface NewJob {
  source: string;
  recipe: Recipe;
  simulated: boolean;
  forced?: boolean;
}

export type JobsStore = ReturnType<typeof createJobsStore>;

export function createJobsStore(db: Database) {
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO jobs (id, seq, source, recipe, recipe_key, stage, simulated, forced, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
  );
  const maxSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM jobs');
  const minSeq = db.prepare('SELECT COALESCE(MIN(seq), 0) AS seq FROM jobs');
  const ownedPath = db.prepare(
    `SELECT 1 AS yes FROM jobs WHERE source = :path
     UNION ALL
     SELECT 1 FROM jobs, json_each(jobs.results) AS result
       WHERE json_extract(result.value, '$.path') = :path
          OR json_extract(result.value, '$.sidecar') = :path
     LIMIT 1`,
  );

  function get(id: string): JobRecord | undefined {
    const row = byId.get(id);
    return row ? toRecord(row) : undefined;
  }

  function mustGet(id: string): JobRecord {
    const job = get(id);
    if (!job) throw new EngineFailure(engineError('not_found', `There is no job ${id}.`));
    return job;
  }

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
    get,
    require: mustGet,

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

    /** Jobs ready for one of `stages` (or waiting to resume one of them and due), oldest first. */
    ready(
      stages: readonly JobStage[],
      limit: number,
      exclude: ReadonlySet<string>,
      now = Date.now(),
    ): JobRecord[] {
      if (limit <= 0) return [];
      const marks = stages.map(() => '?').join(', ');
      const rows = db
        .prepare(
          `SELECT * FROM jobs
           WHERE held = 0
             AND ((stage IN (${marks}) AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
               OR (stage = 'waiting' AND resume_stage IN (${marks}) AND next_attempt_at <= ?))
           ORDER BY seq LIMIT ?`,
        )
        .all(...stages, now, ...stages, now, limit + exclude.size);
      return rows
        .map(toRecord)
        .filter((job) => !exclude.has(job.id))
        .slice(0, limit);
    },

    /** When the earliest waiting job that is not yet due at `after` becomes due, if any. */
    nextWakeAt(after: number): number | undefined {
      const row = db
        .prepare(
          "SELECT MIN(next_attempt_at) AS at FROM jobs WHERE stage = 'waiting' AND held = 0 AND next_attempt_at > ?",
        )
        .get(after);
      return row?.at == null ? undefined : Number(row.at);
    },

    /** Jobs that are not finished, for recovery on start. */
    unfinished(): JobRecord[] {
      return db
        .prepare(
          "SELECT * FROM jobs WHERE stage NOT IN ('done', 'failed', 'cancelled') ORDER BY seq",
        )
        .all()
        .map(toRecord);
    },

    list(filter: JobFilter = 'all', offset = 0, limit = 200): { jobs: JobRecord[]; total: number } {
      const where = FILTERS[filter];
      const total = Number(
        db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE ${where}`).get()?.n ?? 0,
      );
      const jobs = db
        .prepare(`SELECT * FROM jobs WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`)
        .all(limit, offset)
        .map(toRecord);
      return { jobs, total };
    },

    counts(): Partial<Record<JobStage, number>> {
      const counts: Partial<Record<JobStage, number>> = {};
      for (const row of db.prepare('SELECT stage, COUNT(*) AS n FROM jobs GROUP BY stage').all()) {
        counts[row.stage as JobStage] = Number(row.n);
      }
      return counts;
    },

    /**
     * The job for the same source path and recipe: an active or done one if there is one, else the
     * latest that failed or was cancelled (to be queued again rather than made twice).
     */
    findSame(source: string, recipe: Recipe): JobRecord | undefined {
      const row = db
        .prepare(
          "SELECT * FROM jobs WHERE source = ? AND recipe_key = ? ORDER BY stage IN ('failed', 'cancelled'), seq DESC LIMIT 1",
        )
        .get(source, recipeKey(recipe));
      return row ? toRecord(row) : undefined;
    },

    /** Another live job with the same content and recipe (the duplicate guard after hashing). */
    findSameContent(id: string, sourceHash: string, key: string): JobRecord | undefined {
      const row = db
        .prepare(
          "SELECT * FROM jobs WHERE source_hash = ? AND recipe_key = ? AND id != ? AND stage NOT IN ('failed', 'cancelled') ORDER BY seq LIMIT 1",
        )
        .get(sourceHash, key, id);
      return row ? toRecord(row) : undefined;
    },

    /**
     * Whether `path` is exactly a job's source, or a result or sidecar it placed (what the desktop
     * may open or reveal): equal paths only, never a part of one.
     */
    ownsPath(path: string): boolean {
      return ownedPath.get({ path }) !== undefined;
    },

    /** The latest jobs whose source lies inside `folder` (a watched folder's recent files). */
    latestUnder(folder: string, limit: number): JobRecord[] {
      const prefix = folder.endsWith(sep) ? folder : folder + sep;
      return db
        .prepare(
          'SELECT * FROM jobs WHERE substr(source, 1, length(?1)) = ?1 ORDER BY created_at DESC, seq DESC LIMIT ?2',
        )
        .all(prefix, limit)
        .map(toRecord);
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
