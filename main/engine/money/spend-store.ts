// What was spent, as SQLite keeps it: one row per task, keyed by the task id, so a task polled
// again after a crash (or twice by mistake) is never counted twice; the balance as read over
// time; and the jobs whose tasks are paid for but not yet costed (the spend under way).
import { basename, dirname } from 'node:path';
import type { BalanceReading, SpendLine, SpendTotals } from '../../contract/money.ts';
import { fromMicros } from '../../contract/money.ts';
import type { Balance, Recipe } from '../../contract/schemas.ts';
import type { Database } from '../store/database.ts';

/** How a task's cost was learned: APIMart said, the balance moved, a known price, or not at all. */
export type CostSource = 'reported' | 'balance' | 'price' | 'unknown' | 'failed';

export interface SpendEntry {
  taskId: string;
  jobId: string;
  model: string;
  priceKey: string;
  /** Null when the cost could not be learned. */
  micros: number | null;
  source: CostSource;
  folderId: string | null;
  /** The job's queueing time: jobs queued together are one batch. */
  batchAt: number;
  at: number;
}

/** A job whose task is (or may be) paid for and not costed yet. */
export interface UnsettledJob {
  jobId: string;
  recipe: Recipe;
  folderId: string | null;
}

/** Local midnight of the day holding `now`. */
export function startOfDay(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** "2026-05-03", the local calendar day of `at`. */
export function dayKey(at: number): string {
  const day = new Date(at);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

const SUM = 'COALESCE(SUM(micros), 0) AS micros, COUNT(*) AS tasks';

export type SpendStore = ReturnType<typeof createSpendStore>;

export function createSpendStore(db: Database) {
  const insert = db.prepare(
    `INSERT INTO spend (task_id, job_id, model, price_key, micros, source, folder_id, batch_at, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING`,
  );
  const hasTask = db.prepare('SELECT 1 AS yes FROM spend WHERE task_id = ?');
  const since = db.prepare(`SELECT ${SUM} FROM spend WHERE at >= ?`);
  const folderSince = db.prepare(`SELECT ${SUM} FROM spend WHERE at >= ? AND folder_id = ?`);
  const folderOfJob = db.prepare(
    'SELECT folder_id FROM processed WHERE job_id = ? AND folder_id IS NOT NULL LIMIT 1',
  );
  const folderCap = db.prepare('SELECT settings FROM watch_folders WHERE id = ?');
  const addReading = db.prepare(
    'INSERT INTO balance_history (at, remaining, used, unlimited) VALUES (?, ?, ?, ?)',
  );
  // Paid for (a task id, or a request that may have made one) and not costed yet.
  const unsettled = db.prepare(
    `SELECT jobs.id, jobs.recipe, processed.folder_id FROM jobs
       LEFT JOIN processed ON processed.job_id = jobs.id
     WHERE (jobs.task_id IS NOT NULL OR jobs.submit_intended_at IS NOT NULL)
       AND jobs.stage IN ('submitting', 'running', 'waiting', 'ambiguous', 'downloading')
       AND NOT EXISTS (SELECT 1 FROM spend WHERE spend.task_id = jobs.task_id)
     GROUP BY jobs.id`,
  );

  return {
    /** Records a task's cost once; false when the task was recorded before. */
    record(entry: SpendEntry): boolean {
      const { taskId, jobId, model, priceKey, micros, source, folderId, batchAt, at } = entry;
      const result = insert.run(
        taskId,
        jobId,
        model,
        priceKey,
        micros,
        source,
        folderId,
        batchAt,
        at,
      );
      return Number(result.changes) === 1;
    },

    has: (taskId: string): boolean => hasTask.get(taskId) !== undefined,

    /** Micro-dollars spent since `from` (in one watched folder, when given). */
    spentSince(from: number, folderId?: string): number {
      const row = folderId === undefined ? since.get(from) : folderSince.get(from, folderId);
      return Number(row?.micros ?? 0);
    },

    folderOf(jobId: string): string | null {
      const row = folderOfJob.get(jobId);
      return row ? String(row.folder_id) : null;
    },

    /** A watched folder's own daily cap in USD, if it has one. */
    folderCapUsd(folderId: string): number | undefined {
      const row = folderCap.get(folderId);
      if (!row) return undefined;
      const settings = JSON.parse(String(row.settings)) as { maxSpendPerDay?: number | null };
      return settings.maxSpendPerDay ?? undefined;
    },

    unsettled(): UnsettledJob[] {
      return unsettled.all().map((row) => ({
        jobId: String(row.id),
        recipe: JSON.parse(String(row.recipe)) as Recipe,
        folderId: (row.folder_id as string | null) ?? null,
      }));
    },

    /** The queue's jobs not paid for yet, grouped by recipe (for an estimate). */
    unpaid(): { recipe: Recipe; count: number }[] {
      return db
        .prepare(
          `SELECT recipe, COUNT(*) AS n FROM jobs
           WHERE task_id IS NULL AND submit_intended_at IS NULL
             AND stage NOT IN ('done', 'failed', 'cancelled', 'ambiguous')
           GROUP BY recipe_key`,
        )
        .all()
        .map((row) => ({ recipe: JSON.parse(String(row.recipe)) as Recipe, count: Number(row.n) }));
    },

    addBalance(reading: BalanceReading): void {
      addReading.run(reading.at, reading.remaining, reading.used, reading.unlimited ? 1 : 0);
    },

    ...spendReports(db),
  };
}

function toReading(row: Record<string, unknown>): BalanceReading {
  return {
    at: Number(row.at),
    remaining: row.remaining == null ? null : Number(row.remaining),
    used: row.used == null ? null : Number(row.used),
    unlimited: Number(row.unlimited) === 1,
  };
}

function line(key: string, label: string, row: Record<string, unknown>): SpendLine {
  return { key, label, usd: fromMicros(Number(row.micros ?? 0)), tasks: Number(row.tasks ?? 0) };
}

/** The breakdowns the Spend view and `genqueue status` show. Reads only. */
export function spendReports(db: Database) {
  return {
    totals(now = Date.now()): SpendTotals {
      const all = db.prepare(`SELECT ${SUM}, COUNT(*) - COUNT(micros) AS unknown FROM spend`).get();
      const today = db.prepare(`SELECT ${SUM} FROM spend WHERE at >= ?`).get(startOfDay(now));
      const byModel = db
        .prepare(`SELECT model, ${SUM} FROM spend GROUP BY model ORDER BY micros DESC, model`)
        .all()
        .map((row) => ({
          model: String(row.model),
          usd: fromMicros(Number(row.micros)),
          tasks: Number(row.tasks),
        }));
      return {
        todayUsd: fromMicros(Number(today?.micros ?? 0)),
        totalUsd: fromMicros(Number(all?.micros ?? 0)),
        tasks: Number(all?.tasks ?? 0),
        unknownTasks: Number(all?.unknown ?? 0),
        byModel,
      };
    },

    /** Every day of the last `days`, oldest first, zero where nothing was spent. */
    byDay(now: number, days = 30): SpendLine[] {
      const from = startOfDay(now - (days - 1) * 86_400_000);
      const spent = new Map<string, Record<string, unknown>>();
      for (const row of db
        .prepare(`SELECT at, micros FROM spend WHERE at >= ? ORDER BY at`)
        .all(from)) {
        const key = dayKey(Number(row.at));
        const sum = spent.get(key) ?? { micros: 0, tasks: 0 };
        sum.micros = Number(sum.micros) + Number(row.micros ?? 0);
        sum.tasks = Number(sum.tasks) + 1;
        spent.set(key, sum);
      }
      const lines: SpendLine[] = [];
      for (let day = 0; day < days; day++) {
        // Noon of each day, so a daylight-saving change never skips or repeats one.
        const key = dayKey(from + day * 86_400_000 + 12 * 3_600_000);
        lines.push(line(key, key, spent.get(key) ?? {}));
      }
      return lines;
    },

    byModel(): SpendLine[] {
      return db
        .prepare(`SELECT model, ${SUM} FROM spend GROUP BY model ORDER BY micros DESC, model`)
        .all()
        .map((row) => line(String(row.model), String(row.model), row));
    },

    /** The latest batches (jobs queued together), each named by its folder and size. */
    byBatch(limit = 20): SpendLine[] {
      const rows = db
        .prepare(
          `SELECT batch_at, ${SUM}, MIN(job_id) AS job FROM spend WHERE folder_id IS NULL
           GROUP BY batch_at ORDER BY batch_at DESC LIMIT ?`,
        )
        .all(limit);
      const sizeOf = db.prepare(
        'SELECT COUNT(*) AS n, MIN(source) AS source FROM jobs WHERE created_at = ?',
      );
      return rows.map((row) => {
        const at = Number(row.batch_at);
        const batch = sizeOf.get(at);
        const where = batch?.source ? basename(dirname(String(batch.source))) : 'removed jobs';
        const count = Number(batch?.n ?? 0);
        const when = new Date(at).toLocaleString('en-GB', {
          dateStyle: 'medium',
          timeStyle: 'short',
        });
        const label = `${when} · ${count} image${count === 1 ? '' : 's'} from ${where}`;
        return line(String(at), label, row);
      });
    },

    byFolder(): SpendLine[] {
      return db
        .prepare(
          `SELECT spend.folder_id, ${SUM}, watch_folders.settings FROM spend
             LEFT JOIN watch_folders ON watch_folders.id = spend.folder_id
           WHERE spend.folder_id IS NOT NULL GROUP BY spend.folder_id ORDER BY micros DESC`,
        )
        .all()
        .map((row) => {
          const settings = row.settings
            ? (JSON.parse(String(row.settings)) as { path?: string })
            : {};
          const label = settings.path ?? 'a folder no longer watched';
          return line(String(row.folder_id), label, row);
        });
    },

    latestBalance(): BalanceReading | null {
      const row = db.prepare('SELECT * FROM balance_history ORDER BY at DESC LIMIT 1').get();
      return row ? toReading(row) : null;
    },

    balanceHistory(limit = 200): BalanceReading[] {
      return db
        .prepare('SELECT * FROM balance_history ORDER BY at DESC LIMIT ?')
        .all(limit)
        .map(toReading)
        .reverse();
    },
  };
}

/** The balance as GenQueue keeps it: what APIMart said, and when. */
export function readingOf(balance: Balance, at = Date.now()): BalanceReading {
  return { at, remaining: balance.remaining, used: balance.used, unlimited: balance.unlimited };
}

/** Spend totals from a database opened only to read (an older one may have no spend yet). */
export function readSpendTotals(db: Database, now = Date.now()): SpendTotals {
  const known = db
    .prepare("SELECT 1 AS yes FROM sqlite_master WHERE type = 'table' AND name = 'spend'")
    .get();
  if (!known) return { todayUsd: 0, totalUsd: 0, tasks: 0, unknownTasks: 0, byModel: [] };
  return spendReports(db).totals(now);
}
