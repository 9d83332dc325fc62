// The store's reads: what is ready for each pool, what is unfinished, a page of jobs, the counts,
// the duplicate guards' look-ups and whether a path is one GenQueue handles. Reads only; every
// write goes through jobs-store.ts.
import { sep } from 'node:path';
import { EngineFailure, engineError } from '../../contract/errors.ts';
import type { JobFilter, JobStage, Recipe } from '../../contract/schemas.ts';
import { FINISHED_STAGES } from '../../contract/stages.ts';
import type { Database } from './database.ts';
import { recipeKey, toRecord, type JobRecord } from './job-records.ts';

const FINISHED_SQL = FINISHED_STAGES.map((stage) => `'${stage}'`).join(', ');

const FILTERS: Record<JobFilter, string> = {
  all: '1 = 1',
  active: `stage NOT IN (${FINISHED_SQL})`,
  failed: "stage = 'failed'",
  done: "stage = 'done'",
  ambiguous: "stage = 'ambiguous'",
};

export type JobQueries = ReturnType<typeof createJobQueries>;

export function createJobQueries(db: Database) {
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
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

  return {
    get,
    require: mustGet,

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
        .prepare(`SELECT * FROM jobs WHERE stage NOT IN (${FINISHED_SQL}) ORDER BY seq`)
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

    /** Lost answers resent, replays, and the jobs needing a decision by cause. */
    submissionPaths: () => submissionPaths(db),

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
  };
}

/**
 * How the queue's tasks were asked for when it was not straightforward: jobs sent again after an
 * answer was lost, those APIMart answered with the task it had made (a replay), and the jobs
 * waiting for a decision, by why (their error's detail).
 */
function submissionPaths(db: Database): {
  resent: number;
  replayed: number;
  undecided: Record<string, number>;
} {
  const sends = db
    .prepare(
      `SELECT
         SUM(json_extract(submission, '$.sends') > 1) AS resent,
         SUM(instr(submission, '"APIMart replayed task ') > 0) AS replayed
       FROM jobs WHERE submission IS NOT NULL`,
    )
    .get();
  const undecided: Record<string, number> = {};
  const causes = db.prepare(
    "SELECT json_extract(error, '$.detail') AS cause, COUNT(*) AS n FROM jobs WHERE stage = 'ambiguous' GROUP BY cause",
  );
  for (const row of causes.all()) undecided[String(row.cause ?? 'unknown')] = Number(row.n);
  return { resent: Number(sends?.resent ?? 0), replayed: Number(sends?.replayed ?? 0), undecided };
}
