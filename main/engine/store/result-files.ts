// The durable half of placing a paid result: which partial download a result owns (so only its
// owner ever removes it) and which final path it reserved. A path is held by one result at a time
// (a unique column), so two jobs, or one job before and after a crash, are never handed one file;
// the exclusive create on disk is the other half, against other processes.
import type { Database } from './database.ts';

/** One result of one task of one job. */
export interface ResultKey {
  jobId: string;
  taskId: string;
  index: number;
}

export interface ResultFileRow extends ResultKey {
  /** The partial download this result owns, while it is fetched. */
  part: string | null;
  /** The final path reserved for it. */
  path: string | null;
  /** Whether the image is on disk under `path` (its sidecar beside it). */
  placed: boolean;
}

type Row = Record<string, unknown>;

function toRow(row: Row): ResultFileRow {
  return {
    jobId: String(row.job_id),
    taskId: String(row.task_id),
    index: Number(row.idx),
    part: (row.part as string | null) ?? null,
    path: (row.path as string | null) ?? null,
    placed: Number(row.placed) === 1,
  };
}

export type ResultFiles = ReturnType<typeof createResultFiles>;

export function createResultFiles(db: Database) {
  const byKey = db.prepare(
    'SELECT * FROM result_files WHERE job_id = ? AND task_id = ? AND idx = ?',
  );
  const byPath = db.prepare('SELECT * FROM result_files WHERE path = ?');
  const upsert = db.prepare(
    `INSERT INTO result_files (job_id, task_id, idx, part, path, placed, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (job_id, task_id, idx) DO UPDATE SET
       part = excluded.part, path = excluded.path, placed = excluded.placed,
       updated_at = excluded.updated_at`,
  );
  const freePath = db.prepare('UPDATE result_files SET path = NULL, placed = 0 WHERE path = ?');

  const keyOf = (key: ResultKey) => [key.jobId, key.taskId, key.index] as const;
  const sameKey = (row: ResultFileRow, key: ResultKey): boolean =>
    row.jobId === key.jobId && row.taskId === key.taskId && row.index === key.index;

  function get(key: ResultKey): ResultFileRow | undefined {
    const row = byKey.get(...keyOf(key));
    return row ? toRow(row) : undefined;
  }

  function write(row: ResultFileRow): void {
    upsert.run(...keyOf(row), row.part, row.path, row.placed ? 1 : 0, Date.now());
  }

  return {
    get,

    /** Records the partial file a result is about to be fetched into (before it exists). */
    downloading(key: ResultKey, part: string): void {
      write({ ...key, part, path: null, placed: false });
    },

    /**
     * Reserves `path` for the result unless another holds it. A placed result whose files are
     * gone from disk (the person deleted them) gives its name up: `gone` says whether they are.
     */
    reserve(key: ResultKey, path: string, gone: () => boolean): boolean {
      const holder = byPath.get(path);
      if (holder && !sameKey(toRow(holder), key)) {
        if (!(Number(holder.placed) === 1 && gone())) return false;
        freePath.run(path);
      }
      write({ ...key, part: get(key)?.part ?? null, path, placed: false });
      return true;
    },

    /** Gives up the result's reserved path (the name turned out to be taken on disk). */
    release(key: ResultKey): void {
      const row = get(key);
      if (row) write({ ...row, path: null, placed: false });
    },

    /** The image is on disk under its reserved path; the partial file is no longer the result's. */
    placed(key: ResultKey): void {
      const row = get(key);
      if (row) write({ ...row, part: null, placed: true });
    },
  };
}
