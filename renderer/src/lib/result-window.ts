// A window onto the engine's results for one query (filters, search, sort, group): only the pages
// the grid shows are fetched, and any change the engine reports (a result arrived or left, a job
// we hold changed) refetches just those pages, a little later, in one go. A new query makes a new
// window. React reads it through useSyncExternalStore (see use-result-window.ts).
import type { ResultGroup, ResultItem, ResultQuery } from '../../../main/contract/results.ts';
import type { EngineClient } from '../engine-client.ts';

export const RESULT_PAGE = 200;
const REFETCH_DELAY_MS = 250;

export interface ResultWindow {
  readonly query: ResultQuery;
  subscribe(listener: () => void): () => void;
  version(): number;
  total(): number;
  groups(): readonly ResultGroup[];
  loaded(): boolean;
  error(): string | undefined;
  at(index: number): ResultItem | undefined;
  /** Tell the window which results are on screen; it fetches the pages they need. */
  show(start: number, end: number): void;
  /** Every id the query matches, in order. */
  ids(): Promise<string[]>;
  /** Follow engine events and fetch what is in view; returns the disconnect. */
  connect(): () => void;
}

export function createResultWindow(client: EngineClient, query: ResultQuery): ResultWindow {
  const listeners = new Set<() => void>();
  let pages = new Map<number, ResultItem[]>();
  let held = new Set<string>();
  const fetching = new Set<number>();
  let wanted = { start: 0, end: 0 };
  let total = 0;
  let groups: readonly ResultGroup[] = [];
  let loaded = false;
  let error: string | undefined;
  let version = 0;
  let generation = 0;
  let connected = false;
  let doneCount: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function notify(): void {
    version++;
    for (const listener of listeners) listener();
  }

  function pagesInView(): number[] {
    const first = Math.floor(wanted.start / RESULT_PAGE);
    const last = Math.floor(Math.max(wanted.start, wanted.end - 1) / RESULT_PAGE);
    const list: number[] = [];
    for (let page = first; page <= last; page++) list.push(page);
    return list;
  }

  const fetchPage = (page: number) =>
    client.call('results.list', { query, offset: page * RESULT_PAGE, limit: RESULT_PAGE });

  function failed(thrown: unknown): void {
    error = thrown instanceof Error ? thrown.message : String(thrown);
    notify();
  }

  function fillMissing(): void {
    if (!connected || !loaded) return;
    const ours = generation;
    for (const page of pagesInView()) {
      if (pages.has(page) || fetching.has(page) || page * RESULT_PAGE >= total) continue;
      fetching.add(page);
      fetchPage(page).then((result) => {
        fetching.delete(page);
        if (ours !== generation) return;
        pages.set(page, result.results);
        for (const item of result.results) held.add(item.id);
        notify();
      }, failed);
    }
  }

  /** Fetches the first page (it carries the groups) and the pages in view, and swaps them in. */
  function refresh(): void {
    clearTimeout(timer);
    timer = undefined;
    const ours = ++generation;
    fetching.clear();
    const wantedPages = [...new Set([0, ...pagesInView()])];
    Promise.all(wantedPages.map(fetchPage)).then((results) => {
      if (ours !== generation || !connected) return;
      pages = new Map(wantedPages.map((page, i) => [page, results[i]!.results]));
      held = new Set(results.flatMap((result) => result.results.map((item) => item.id)));
      total = results[0]!.total;
      groups = results[0]!.groups;
      loaded = true;
      error = undefined;
      notify();
      fillMissing();
    }, failed);
  }

  function refreshSoon(): void {
    timer ??= setTimeout(refresh, REFETCH_DELAY_MS);
  }

  function follow(): () => void {
    const offs = [
      client.on('queue.stats', ({ payload }) => {
        const done = payload.counts.done ?? 0;
        if (doneCount !== undefined && done !== doneCount) refreshSoon();
        doneCount = done;
      }),
      client.on('job.removed', ({ payload }) => {
        if (payload.ids.some((id) => held.has(id))) refreshSoon();
      }),
      client.on('job.updated', ({ payload }) => {
        if (held.has(payload.id) || payload.stage === 'done') refreshSoon();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  return {
    query,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
    total: () => total,
    groups: () => groups,
    loaded: () => loaded,
    error: () => error,
    at: (index) => pages.get(Math.floor(index / RESULT_PAGE))?.[index % RESULT_PAGE],
    show(start, end) {
      if (start === wanted.start && end === wanted.end) return;
      wanted = { start, end };
      fillMissing();
    },
    ids: () => client.call('results.ids', { query }),
    connect() {
      connected = true;
      const unfollow = follow();
      refresh();
      return () => {
        connected = false;
        generation++;
        clearTimeout(timer);
        timer = undefined;
        unfollow();
      };
    },
  };
}
