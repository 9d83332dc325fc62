// One watched folder, alive: its three parts put together. Folder health keeps the folder watched
// (or says why not), tree scan and native notifications find what is new for the stability
// tracker, and intake takes each stable file through the processed ledger into the queue.
import type { EnqueueResult } from '../../contract/routes.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import type { WatchStatus } from '../../contract/watch.ts';
import { createFolderHealth, type WatchTiming } from './folder-health.ts';
import { createIntake } from './intake.ts';
import type { Limiter } from '../util/limit.ts';
import { createPathRules, type PathRules } from './path-rules.ts';
import { createStabilityTracker } from './stability.ts';
import { createTreeScan, type ScanPass } from './tree-scan.ts';
import { watchTree, type TreeWatch, type TreeWatchBackend } from './tree-watch.ts';
import type { FileStamp, WatchFolderRecord, WatchStore } from './watch-store.ts';

export type { WatchTiming } from './folder-health.ts';

/** A window on the watchers' work for tests, so a quiet period is observed, not slept through. */
export interface WatchProbe {
  /** A folder's watcher was started (an enabled folder, at start or when enabled). */
  started?(folderId: string): void;
  /**
   * A pass over a folder's files ended: full when it walked the whole folder; idle when nothing
   * was waiting to settle or be queued as it ended.
   */
  passed(folderId: string, pass: ScanPass & { full: boolean; idle: boolean }): void;
  /** Asked at each health look: true makes it a full rescan now. */
  rescanWanted?(folderId: string): boolean;
}

export interface FolderWatcherDeps {
  store: WatchStore;
  /** The recipe key this folder's jobs get; throws when the recipe cannot be completed. */
  recipeKey(patch: RecipePatch): string;
  enqueue(paths: string[], patch: RecipePatch): Promise<EnqueueResult>;
  /** Every folder GenQueue writes results into, as known now. */
  outputDirs(): string[];
  /** The folder's status or counts changed. */
  changed(): void;
  hashes: Limiter;
  timing: WatchTiming;
  backend: TreeWatchBackend | undefined;
  probe?: WatchProbe;
}

export interface FolderWatcher {
  readonly status: WatchStatus;
  readonly error: string | undefined;
  stop(): Promise<void>;
}

export function startFolderWatcher(
  record: WatchFolderRecord,
  deps: FolderWatcherDeps,
): FolderWatcher {
  const { settings } = record;
  const { store } = deps;
  const root = settings.path;
  const abort = new AbortController();
  const signal = abort.signal;
  let tree: TreeWatch | undefined;
  let rules: PathRules = createPathRules(settings, deps.outputDirs());

  /** Passes a file over on purpose: counted, and listed in the folder's view with why. */
  function skip(path: string, stamp: FileStamp, reason: string): void {
    store.markSkipped(record.id, path, stamp, reason);
    deps.changed();
  }

  const tracker = createStabilityTracker({
    stableMs: settings.stableMs ?? 1000,
    onStable: (path, stamp) => intake.offer(path, stamp),
    onTrouble: (path, thrown) =>
      skip(path, { size: -1, mtimeMs: -1 }, `GenQueue cannot look at it (${thrown.code}).`),
  });

  const scan = createTreeScan({
    folderId: record.id,
    recursive: settings.recursive,
    store,
    rules: () => rules,
    startedAt: Date.now(),
    signal,
    found: (path, seen) => tracker.found(path, seen),
    touched: (path) => tracker.touch(path),
    skip,
    passed: (pass) =>
      deps.probe?.passed(record.id, {
        ...pass,
        full: pass.dir === root && pass.deep,
        idle: tracker.pending === 0 && intake.idle,
      }),
  });

  const health = createFolderHealth({
    root,
    timing: deps.timing,
    signal,
    open,
    close,
    rescan: () => scan.scan(root, true),
    changed: deps.changed,
    rescanWanted: () => deps.probe?.rescanWanted?.(record.id) ?? false,
  });

  const intake = createIntake({
    folderId: record.id,
    store,
    patch: { ...settings.recipe, ...(settings.outDir && { outDir: settings.outDir }) },
    recipeKey: deps.recipeKey,
    enqueue: deps.enqueue,
    hashes: deps.hashes,
    root: () => ({ path: root, real: health.real }),
    signal,
    retouch: (path) => tracker.touch(path),
    skip,
    changed: deps.changed,
    trouble: health.trouble,
  });

  /** The folder is fine: notifications on, then a scan (the first one primes when asked to). */
  async function open(): Promise<void> {
    rules = createPathRules(settings, deps.outputDirs());
    tree = await watchTree(
      {
        root,
        recursive: settings.recursive,
        ignoredDirs: rules.ignoredDirs,
        onChanges: scan.changed,
        onError: () => void health.recheck(true),
      },
      deps.backend,
    );
    if (signal.aborted) return void (await close());
    const priming = !record.primed && settings.existing === 'ignore';
    await scan.scan(root, true, priming);
    if (signal.aborted || record.primed) return;
    store.markPrimed(record.id);
    record.primed = true;
  }

  async function close(): Promise<void> {
    const closing = tree;
    tree = undefined;
    await closing?.close().catch(() => {});
  }

  deps.probe?.started?.(record.id);
  void health.start();

  return {
    get status() {
      return health.status;
    },
    get error() {
      return health.error;
    },
    async stop() {
      abort.abort();
      health.stop();
      tracker.close();
      scan.close();
      await close();
      // Files already hashed are claimed and queued; anything earlier is found by the next scan.
      await intake.flush();
    },
  };
}
