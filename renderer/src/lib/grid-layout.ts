// The rows of the results grid: a header for each group, then its results `columns` to a row (or
// just rows of results when nothing is grouped), and where the arrow and page keys move focus
// through them. Pure, so the grid, its keys and the tests agree on one layout.
import type { ResultGroup } from '../../../main/contract/results.ts';

export type GridRow =
  | { kind: 'header'; group: ResultGroup; start: number }
  | { kind: 'cells'; start: number; end: number };

export function gridRows(
  total: number,
  groups: readonly ResultGroup[],
  columns: number,
): GridRow[] {
  const rows: GridRow[] = [];
  const cells = (start: number, end: number) => {
    for (let at = start; at < end; at += columns)
      rows.push({ kind: 'cells', start: at, end: Math.min(end, at + columns) });
  };
  if (groups.length === 0) {
    cells(0, total);
    return rows;
  }
  let start = 0;
  for (const group of groups) {
    rows.push({ kind: 'header', group, start });
    cells(start, Math.min(total, start + group.count));
    start += group.count;
  }
  return rows;
}

/** The index of the row holding result `item` (-1 when it holds none). */
export function rowOf(rows: readonly GridRow[], item: number): number {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const row = rows[mid]!;
    // A header sits just before its group's first result: anything from its start is after it.
    const after = row.kind === 'cells' ? item >= row.end : item >= row.start;
    if (row.kind === 'cells' && item >= row.start && !after) return mid;
    if (after) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

/** Where focus goes from result `item` on `move`; `page` is how many rows a page key jumps. */
export function moveInGrid(
  rows: readonly GridRow[],
  item: number,
  move: GridMove,
  total: number,
  page: number,
): number {
  if (total === 0) return 0;
  if (move === 'left') return Math.max(0, item - 1);
  if (move === 'right') return Math.min(total - 1, item + 1);
  if (move === 'home') return 0;
  if (move === 'end') return total - 1;
  const from = rowOf(rows, item);
  const here = rows[from];
  if (!here) return item;
  const column = item - here.start;
  const step = move === 'up' || move === 'pageUp' ? -1 : 1;
  let left = move === 'up' || move === 'down' ? 1 : page;
  let at = from;
  for (let r = from + step; r >= 0 && r < rows.length && left > 0; r += step) {
    if (rows[r]!.kind === 'cells') {
      at = r;
      left--;
    }
  }
  const target = rows[at]!;
  return target.kind === 'cells' ? Math.min(target.end - 1, target.start + column) : item;
}
