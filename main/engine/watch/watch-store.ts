// Everything watched folders keep in SQLite: the folders themselves, the files already looked at
// (so a restart rescans with a stat, not a hash) and the processed ledger (content hash + recipe
// key → the job that took it), which is what makes a rename, a move or a re-copy a no-op.
import { randomBytes } from 'node:crypto';
import { WatchFolderSettingsSchema, type WatchFolderSettings } from '../../contract/watch.ts';
import type { WatchCounts } from '../../contract/watch.ts';
import { transaction, type Database } from '../store/database.ts';

export interface WatchFolderRecord {
  id: string;
  settings: WatchFolderSettings;
  enabled: boolean;
  /** The first scan has run (`existing: 'ignore'` applies only before it). */
  primed: boolean;
  lastEventAt: number | null;
}

/** A file that is stable and hashed, ready to be claimed in the ledger. */
export interface Claim {
  sha256: string;
  recipeKey: string;
  source: string;
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

type Row = Record<string, unknown>;

/** How many skipped files a folder's view lists. */
const SKIPPED_LISTED = 50;

function toRecord(row: Row): WatchFolderRecord {
  return {
    id: String(row.id),
    settings: WatchFolderSettingsSchema.parse(JSON.parse(String(row.settings))),
    enabled: Number(row.enabled) === 1,
    primed: Number(row.primed) === 1,
    lastEventAt: row.last_event_at == null ? null : Number(row.last_event_at),
  };
}

export type WatchStore = ReturnType<typeof createWatchStore>;

/** The watched folders themselves, and what their views show (counts, skipped files). */
function folderRecords(db: Database) {
  const byId = db.prepare('SELECT * FROM watch_folders WHERE id = ?');

  function get(id: string): WatchFolderRecord | undefined {
    const row = byId.get(id);
    return row ? toRecord(row) : undefined;
  }

  return {
    get,

    list(): WatchFolderRecord[] {
      return db.prepare('SELECT * FROM watch_folders ORDER BY created_at').all().map(toRecord);
    },

    add(settings: WatchFolderSettings, now = Date.now()): WatchFolderRecord {
      const id = `w_${now.toString(36)}${randomBytes(4).toString('hex')}`;
      db.prepare(
        'INSERT INTO watch_folders (id, settings, enabled, created_at) VALUES (?, ?, 1, ?)',
      ).run(id, JSON.stringify(settings), now);
      return get(id)!;
    },

    /** Saves new settings; a new path starts over (its files were never looked at). */
    update(id: string, settings: WatchFolderSettings, enabled: boolean): void {
      const before = get(id);
      db.prepare(
        `UPDATE watch_folders SET settings = ?, enabled = ?,
           primed = CASE WHEN ? THEN 0 ELSE primed END WHERE id = ?`,
      ).run(
        JSON.stringify(settings),
        enabled ? 1 : 0,
        before?.settings.path !== settings.path ? 1 : 0,
        id,
      );
    },

    remove(id: string): void {
      db.prepare('DELETE FROM watch_folders WHERE id = ?').run(id);
    },

    markPrimed(id: string): void {
      db.prepare('UPDATE watch_folders SET primed = 1 WHERE id = ?').run(id);
    },

    /** The files this folder passed over on purpose (at most `limit`, latest found first). */
    skippedFiles(folderId: string, limit = SKIPPED_LISTED): { path: string; reason: string }[] {
      return db
        .prepare(
          `SELECT path, skip_reason FROM watch_files WHERE folder_id = ? AND skip_reason IS NOT NULL
           ORDER BY rowid DESC LIMIT ?`,
        )
        .all(folderId, limit)
        .map((row) => ({ path: String(row.path), reason: String(row.skip_reason) }));
    },

    counts(folderId: string): WatchCounts {
      const queued = db
        .prepare('SELECT COUNT(*) AS n FROM processed WHERE folder_id = ? AND job_id IS NOT NULL')
        .get(folderId);
      const stages = db
        .prepare(
          `SELECT j.stage AS stage, COUNT(*) AS n FROM processed p JOIN jobs j ON j.id = p.job_id
           WHERE p.folder_id = ? AND j.stage IN ('done', 'failed') GROUP BY j.stage`,
        )
        .all(folderId);
      const skipped = db.prepare('SELECT skipped FROM watch_folders WHERE id = ?').get(folderId);
      const stage = (name: string): number =>
        Number(stages.find((row) => row.stage === name)?.n ?? 0);
      return {
        queued: Number(queued?.n ?? 0),
        done: stage('done'),
        failed: stage('failed'),
        skipped: Number(skipped?.skipped ?? 0),
      };
    },
  };
}

/** The files already looked at, with the size and mtime they had (and why one was passed over). */
function seenFiles(db: Database) {
  const seenStamp = db.prepare(
    'SELECT size, mtime_ms FROM watch_files WHERE folder_id = ? AND path = ?',
  );
  const upsertSeen = upsertSeenStatement(db);

  return {
    /** True when this file was already looked at with exactly this size and mtime. */
    seen(folderId: string, path: string, stamp: FileStamp): boolean {
      const row = seenStamp.get(folderId, path);
      return (
        row != null && Number(row.size) === stamp.size && Number(row.mtime_ms) === stamp.mtimeMs
      );
    },

    markSeen(folderId: string, files: readonly { path: string; stamp: FileStamp }[]): void {
      if (files.length === 0) return;
      transaction(db, () => {
        for (const { path, stamp } of files)
          upsertSeen.run(folderId, path, stamp.size, stamp.mtimeMs, null);
      });
    },

    /** A file passed over on purpose: seen with this stamp, counted, and listed with why. */
    markSkipped(folderId: string, path: string, stamp: FileStamp, reason: string): void {
      transaction(db, () => {
        upsertSeen.run(folderId, path, stamp.size, stamp.mtimeMs, reason);
        db.prepare('UPDATE watch_folders SET skipped = skipped + 1 WHERE id = ?').run(folderId);
      });
    },
  };
}

/** The processed ledger: (content hash, recipe key) → the folder and job that took it. */
function ledger(db: Database) {
  const upsertSeen = upsertSeenStatement(db);
  const claimRow = db.prepare(
    `INSERT INTO processed (sha256, recipe_key, folder_id, source, created_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );

  return {
    /**
     * Claims each (hash, recipe) pair for this folder, and marks the files seen, in one
     * transaction. Returns the claims that were new; the rest were processed before.
     */
    claim(
      folderId: string,
      claims: readonly (Claim & { stamp: FileStamp })[],
      now = Date.now(),
    ): Claim[] {
      return transaction(db, () => {
        const fresh: Claim[] = [];
        for (const claim of claims) {
          const changes = claimRow.run(claim.sha256, claim.recipeKey, folderId, claim.source, now);
          if (Number(changes.changes) === 1) fresh.push(claim);
          upsertSeen.run(folderId, claim.source, claim.stamp.size, claim.stamp.mtimeMs, null);
        }
        const skipped = claims.length - fresh.length;
        db.prepare(
          'UPDATE watch_folders SET skipped = skipped + ?, last_event_at = ? WHERE id = ?',
        ).run(skipped, now, folderId);
        return fresh;
      });
    },

    /** Links claims to the jobs that took them. */
    linkJobs(links: readonly { claim: Claim; jobId: string }[]): void {
      transaction(db, () => {
        const link = db.prepare(
          'UPDATE processed SET job_id = ? WHERE sha256 = ? AND recipe_key = ?',
        );
        for (const { claim, jobId } of links) link.run(jobId, claim.sha256, claim.recipeKey);
      });
    },

    /** Gives claims back (their job could not be queued), so the files are taken next time. */
    release(folderId: string, claims: readonly Claim[]): void {
      transaction(db, () => {
        const drop = db.prepare(
          'DELETE FROM processed WHERE sha256 = ? AND recipe_key = ? AND job_id IS NULL',
        );
        const unsee = db.prepare('DELETE FROM watch_files WHERE folder_id = ? AND path = ?');
        for (const claim of claims) {
          drop.run(claim.sha256, claim.recipeKey);
          unsee.run(folderId, claim.source);
        }
      });
    },

    /**
     * Settles claims left without a job by a crash between claiming and queueing: linked to the
     * job when it was queued after all, else given back so the next scan takes the file again.
     */
    recoverUnlinked(): void {
      transaction(db, () => {
        const job = db.prepare(
          'SELECT id FROM jobs WHERE source = ? AND recipe_key = ? ORDER BY seq DESC LIMIT 1',
        );
        const link = db.prepare(
          'UPDATE processed SET job_id = ? WHERE sha256 = ? AND recipe_key = ?',
        );
        const drop = db.prepare('DELETE FROM processed WHERE sha256 = ? AND recipe_key = ?');
        const unsee = db.prepare('DELETE FROM watch_files WHERE folder_id = ? AND path = ?');
        for (const row of db.prepare('SELECT * FROM processed WHERE job_id IS NULL').all()) {
          const found = job.get(row.source as string, row.recipe_key as string);
          if (found) {
            link.run(found.id as string, row.sha256 as string, row.recipe_key as string);
          } else {
            drop.run(row.sha256 as string, row.recipe_key as string);
            unsee.run(row.folder_id as string, row.source as string);
          }
        }
      });
    },

    /** The folder a job was queued by, with the original's path. */
    claimOfJob(jobId: string): { folderId: string; source: string } | undefined {
      const row = db
        .prepare(
          'SELECT folder_id, source FROM processed WHERE job_id = ? AND folder_id IS NOT NULL',
        )
        .get(jobId);
      return row ? { folderId: String(row.folder_id), source: String(row.source) } : undefined;
    },
  };
}

/** Notes a file as seen with its stamp (and why it was passed over, or null). */
function upsertSeenStatement(db: Database) {
  return db.prepare(
    `INSERT INTO watch_files (folder_id, path, size, mtime_ms, skip_reason) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (folder_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
       skip_reason = excluded.skip_reason`,
  );
}

export function createWatchStore(db: Database) {
  return { ...folderRecords(db), ...seenFiles(db), ...ledger(db) };
}
