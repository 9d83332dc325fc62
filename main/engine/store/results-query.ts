// Reads the finished jobs the way the Results view asks: filtered, searched, sorted and grouped in
// SQL, one page at a time, so 10,000 results cost a page of rows per scroll, not a list of all.
// Read-only: job state is written by jobs-store.ts alone. A batch is the jobs queued together,
// which share their created_at (one enqueue writes one moment for all of them).
import type {
  ResultFacets,
  ResultGroup,
  ResultGroupBy,
  ResultQuery,
  ResultSort,
} from '../../contract/results.ts';
import type { Database } from './database.ts';

type Param = string | number;

/** The file name of the source (after the last / or \), for sorting and searching by name. */
const NAME = `replace(replace(source, '\\', '/'), rtrim(replace(source, '\\', '/'), replace(replace(source, '\\', '/'), '/', '')), '')`;
const PROMPT = `json_extract(recipe, '$.prompt')`;
const MODEL = `json_extract(recipe, '$.model')`;
const FINISHED = 'COALESCE(finished_at, updated_at)';

const ORDER: Record<ResultSort, string> = {
  newest: `${FINISHED} DESC, seq DESC`,
  oldest: `${FINISHED}, seq`,
  name: `${NAME} COLLATE NOCASE, seq`,
  prompt: `${PROMPT} COLLATE NOCASE, ${FINISHED} DESC`,
  model: `${MODEL}, ${FINISHED} DESC`,
};

/** The group key and the order of the groups themselves (before the sort within each). */
function grouping(group: ResultGroupBy, sort: ResultSort): { key: string; order: string } | null {
  if (group === 'batch')
    return { key: 'created_at', order: sort === 'oldest' ? 'created_at' : 'created_at DESC' };
  if (group === 'prompt') return { key: PROMPT, order: `${PROMPT} COLLATE NOCASE, ${PROMPT}` };
  return null;
}

function where(query: ResultQuery): { sql: string; params: Param[] } {
  const clauses = ["stage = 'done'"];
  const params: Param[] = [];
  const search = query.search?.trim().toLowerCase();
  if (search) {
    clauses.push(`(instr(lower(${NAME}), ?) > 0 OR instr(lower(${PROMPT}), ?) > 0)`);
    params.push(search, search);
  }
  const exact: [Param | undefined, string][] = [
    [query.batch, 'created_at = ?'],
    [query.prompt, `${PROMPT} = ?`],
    [query.model, `${MODEL} = ?`],
    [query.since, `${FINISHED} >= ?`],
    [query.folder, 'id IN (SELECT job_id FROM processed WHERE folder_id = ?)'],
  ];
  for (const [value, sql] of exact) {
    if (value === undefined) continue;
    clauses.push(sql);
    params.push(value);
  }
  return { sql: clauses.join(' AND '), params };
}

export interface ResultRow {
  id: string;
  finishedAt: number;
  batch: number;
}

export type ResultsQuery = ReturnType<typeof createResultsQuery>;

export function createResultsQuery(db: Database) {
  function ordered(query: ResultQuery): { sql: string; params: Param[]; groupKey?: string } {
    const filter = where(query);
    const sort = query.sort ?? 'newest';
    const groups = grouping(query.group ?? 'none', sort);
    const order = groups ? `${groups.order}, ${ORDER[sort]}` : ORDER[sort];
    return {
      sql: `SELECT id, ${FINISHED} AS finished, created_at FROM jobs WHERE ${filter.sql} ORDER BY ${order}`,
      params: filter.params,
      ...(groups && { groupKey: groups.key }),
    };
  }

  function groupsOf(query: ResultQuery): ResultGroup[] {
    const sort = query.sort ?? 'newest';
    const groups = grouping(query.group ?? 'none', sort);
    if (!groups) return [];
    const filter = where(query);
    return db
      .prepare(
        `SELECT ${groups.key} AS key, COUNT(*) AS n FROM jobs WHERE ${filter.sql}
         GROUP BY ${groups.key} ORDER BY ${groups.order}`,
      )
      .all(...filter.params)
      .map((row) => ({ key: String(row.key), count: Number(row.n) }));
  }

  return {
    /** One page of the query's results in order, the total, and its groups. */
    page(
      query: ResultQuery,
      offset: number,
      limit: number,
    ): { rows: ResultRow[]; total: number; groups: ResultGroup[] } {
      const filter = where(query);
      const total = Number(
        db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE ${filter.sql}`).get(...filter.params)?.n ??
          0,
      );
      const list = ordered(query);
      const rows = db
        .prepare(`${list.sql} LIMIT ? OFFSET ?`)
        .all(...list.params, limit, offset)
        .map((row) => ({
          id: String(row.id),
          finishedAt: Number(row.finished),
          batch: Number(row.created_at),
        }));
      return { rows, total, groups: offset === 0 ? groupsOf(query) : [] };
    },

    /** Every id the query matches, in order (select all, a range, a group). */
    ids(query: ResultQuery): string[] {
      const list = ordered(query);
      return db
        .prepare(list.sql)
        .all(...list.params)
        .map((row) => String(row.id));
    },

    facets(): ResultFacets {
      const count = (sql: string) =>
        db
          .prepare(sql)
          .all()
          .map((row) => ({ value: row.value, count: Number(row.n) }));
      const done = "FROM jobs WHERE stage = 'done'";
      const folderPaths = new Map(
        db
          .prepare(`SELECT id, json_extract(settings, '$.path') AS path FROM watch_folders`)
          .all()
          .map((row) => [String(row.id), String(row.path)]),
      );
      return {
        total: Number(db.prepare(`SELECT COUNT(*) AS n ${done}`).get()?.n ?? 0),
        batches: count(
          `SELECT created_at AS value, COUNT(*) AS n ${done} GROUP BY created_at ORDER BY created_at DESC`,
        ).map(({ value, count }) => ({ value: Number(value), count })),
        prompts: count(
          `SELECT ${PROMPT} AS value, COUNT(*) AS n ${done} GROUP BY value ORDER BY n DESC, value LIMIT 500`,
        ).map(({ value, count }) => ({ value: String(value), count })),
        models: count(
          `SELECT ${MODEL} AS value, COUNT(*) AS n ${done} GROUP BY value ORDER BY value`,
        ).map(({ value, count }) => ({ value: String(value), count })),
        folders: count(
          `SELECT p.folder_id AS value, COUNT(*) AS n FROM processed p JOIN jobs j ON j.id = p.job_id
           WHERE j.stage = 'done' AND p.folder_id IS NOT NULL GROUP BY p.folder_id`,
        ).flatMap(({ value, count }) => {
          const path = folderPaths.get(String(value));
          return path ? [{ value: String(value), count, path }] : [];
        }),
      };
    },
  };
}
