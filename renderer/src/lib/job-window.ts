// A window onto the engine's job list for one filter, built for 10,000+ jobs: only the pages the
// list shows are fetched, events patch the jobs it holds in place, and what it cannot patch (a
// job entering or leaving the filter, a count that no longer adds up, a missed event) refetches
// just the pages in view. React reads it through useSyncExternalStore (see use-job-window.ts).
import type { JobFilter, JobView } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';
import { filterCount, inFilter } from './job-text.ts';

export const PAGE_SIZE = 200;
const REFETCH_DELAY_MS = 200;
const ID_BATCH = 1000;

export interface JobWindow {
  readonly filter: JobFilter;
  subscribe(listener: () => void): () => void;
  /** Grows on every change; the snapshot React compares. */
  version(): number;
  total(): number;
  /** False until the first page has arrived. */
  loaded(): boolean;
  /** The message of the last failed fetch, cleared by the next good one. */
  error(): string | undefined;
  at(index: number): JobView | undefined;
  /** Tell the window which rows are on screen; it fetches the pages they need. */
  show(start: number, end: number): void;
  /** Refetch the rows in view now (after a move, or when the person asks). */
  refresh(): void;
  /** Every id in this filter, in order (for "select all"). */
  allIds(): Promise<string[]>;
  /**
   * Start following engine events and fetch the rows in view; returns the disconnect. Connections
   * are counted: the window follows events until the last one is let go.
   */
  connect(): () => void;
}

/**
 * A progress event is throttled, so it can arrive after a later stage change and carry the older
 * stage; the job's updatedAt tells which is newer (progress alone does not move it).
 */
export function isStale(held: JobView | undefined, incoming: JobView): boolean {
  return held !== undefined && held.updatedAt > incoming.updatedAt;
}

/** The pages one filter's window holds: what is fetched, where each job sits, and the refetches. */
type Pages = ReturnType<typeof createPages>;

function createPages(client: EngineClient, filter: JobFilter, notify: () => void) {
  let pages = new Map<number, JobView[]>();
  let positions = new Map<string, number>();
  const fetching = new Set<number>();
  let wanted = { start: 0, end: 0 };
  let total = 0;
  let loaded = false;
  let error: string | undefined;
  let generation = 0;
  let refetchTimer: ReturnType<typeof setTimeout> | undefined;
  let connected = false;

  /** Records where each job of `page` sits (positions of other pages stay as they are). */
  function index(page: number, jobs: JobView[]): void {
    jobs.forEach((job, i) => positions.set(job.id, page * PAGE_SIZE + i));
  }

  function pagesInView(): number[] {
    const first = Math.floor(wanted.start / PAGE_SIZE);
    const last = Math.floor(Math.max(wanted.start, wanted.end) / PAGE_SIZE);
    const list: number[] = [];
    for (let page = first; page <= last; page++) list.push(page);
    return list;
  }

  async function fetchPage(page: number): Promise<{ jobs: JobView[]; total: number }> {
    return client.call('jobs.list', { filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
  }

  function failed(thrown: unknown): void {
    error = thrown instanceof Error ? thrown.message : String(thrown);
    notify();
  }

  function fillMissing(): void {
    // Before connect() the list only says what it shows; connecting fetches all of that at once.
    if (!connected) return;
    const ours = generation;
    for (const page of pagesInView()) {
      if (pages.has(page) || fetching.has(page)) continue;
      if (loaded && page * PAGE_SIZE >= total && page > 0) continue;
      fetching.add(page);
      fetchPage(page).then(
        (result) => {
          fetching.delete(page);
          if (!connected || ours !== generation) return;
          pages.set(page, result.jobs);
          total = result.total;
          loaded = true;
          error = undefined;
          index(page, result.jobs);
          notify();
        },
        (thrown: unknown) => {
          fetching.delete(page);
          if (ours === generation) failed(thrown);
        },
      );
    }
  }

  function refresh(): void {
    clearTimeout(refetchTimer);
    refetchTimer = undefined;
    const ours = ++generation;
    fetching.clear();
    const wantedPages = pagesInView();
    for (const page of wantedPages) fetching.add(page);
    Promise.all(wantedPages.map(fetchPage)).then(
      (results) => {
        if (ours !== generation) return;
        for (const page of wantedPages) fetching.delete(page);
        if (!connected) return;
        pages = new Map(wantedPages.map((page, i) => [page, results[i]!.jobs]));
        total = results[results.length - 1]?.total ?? 0;
        loaded = true;
        error = undefined;
        positions = new Map();
        for (const [page, jobs] of pages) index(page, jobs);
        notify();
        fillMissing();
      },
      (thrown: unknown) => {
        if (ours !== generation) return;
        for (const page of wantedPages) fetching.delete(page);
        failed(thrown);
      },
    );
  }

  return {
    total: () => total,
    loaded: () => loaded,
    error: () => error,
    at: (i: number) => pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    positionOf: (id: string) => positions.get(id),
    /** Puts a newer copy of the job held at `at` in its place. */
    replace(at: number, job: JobView): void {
      const page = pages.get(Math.floor(at / PAGE_SIZE));
      if (page) page[at % PAGE_SIZE] = job;
      notify();
    },
    show(start: number, end: number): void {
      if (start === wanted.start && end === wanted.end) return;
      wanted = { start, end };
      fillMissing();
    },
    refresh,
    refreshSoon(): void {
      if (refetchTimer === undefined) refetchTimer = setTimeout(refresh, REFETCH_DELAY_MS);
    },
    connect(): void {
      connected = true;
      refresh();
    },
    disconnect(): void {
      connected = false;
      generation++;
      clearTimeout(refetchTimer);
      refetchTimer = undefined;
    },
  };
}

/** Patches the held pages from engine events, or refetches them when a patch cannot do. */
function follow(client: EngineClient, filter: JobFilter, pages: Pages): () => void {
  let lastJobVersion = 0;
  const offUpdated = client.on('job.updated', ({ version: v, payload: job }) => {
    const gap = lastJobVersion !== 0 && v !== lastJobVersion + 1;
    lastJobVersion = v;
    if (gap) return pages.refreshSoon();
    const at = pages.positionOf(job.id);
    if (at === undefined) {
      if (filter !== 'all' && inFilter(filter, job.stage)) pages.refreshSoon();
      return;
    }
    if (isStale(pages.at(at), job)) return;
    if (!inFilter(filter, job.stage)) return pages.refreshSoon();
    pages.replace(at, job);
  });
  const offRemoved = client.on('job.removed', ({ payload }) => {
    if (payload.ids.some((id) => pages.positionOf(id) !== undefined)) pages.refreshSoon();
  });
  // The counts by stage say exactly how many jobs this filter holds: a mismatch means jobs came
  // or went where no per-job event told us (a batch of 10,000, a missed event).
  const offStats = client.on('queue.stats', ({ payload }) => {
    if (pages.loaded() && filterCount(filter, payload.counts) !== pages.total()) {
      pages.refreshSoon();
    }
  });
  return () => {
    offUpdated();
    offRemoved();
    offStats();
  };
}

export function createJobWindow(client: EngineClient, filter: JobFilter): JobWindow {
  const listeners = new Set<() => void>();
  let version = 0;
  let notifyQueued = false;
  let connections = 0;
  let unfollow = (): void => {};

  function notify(): void {
    version++;
    if (notifyQueued) return;
    notifyQueued = true;
    queueMicrotask(() => {
      notifyQueued = false;
      for (const listener of listeners) listener();
    });
  }

  const pages = createPages(client, filter, notify);

  return {
    filter,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
    total: pages.total,
    loaded: pages.loaded,
    error: pages.error,
    at: pages.at,
    show: pages.show,
    refresh: pages.refresh,
    async allIds() {
      const ids: string[] = [];
      for (let offset = 0; offset === 0 || offset < pages.total(); offset += ID_BATCH) {
        const page = await client.call('jobs.list', { filter, offset, limit: ID_BATCH });
        for (const job of page.jobs) ids.push(job.id);
        if (page.jobs.length < ID_BATCH) break;
      }
      return ids;
    },
    connect() {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        if (--connections > 0) return;
        pages.disconnect();
        unfollow();
      };
      if (connections++ > 0) return release;
      unfollow = follow(client, filter, pages);
      pages.connect();
      return release;
    },
  };
}
