// One watched folder, alive: native notifications plus a catch-up scan feed the stability tracker;
// stable files are opened, hashed and claimed in the processed ledger in small batches, and only
// new (hash, recipe) pairs are queued. Folder trouble turns into a status and a retry with backoff.
import { constants } from 'node:fs';
import { access, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { toEngineError } from '../../contract/errors.ts';
import type { EnqueueResult } from '../../contract/routes.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import type { WatchStatus } from '../../contract/watch.ts';
import { looksLikeImageName } from '../ingest/expand-paths.ts';
import { exponentialDelay } from '../util/backoff.ts';
import { mapLimit, type Limiter } from '../util/limit.ts';
import { createPathRules, type PathRules } from './path-rules.ts';
import { createRescanner } from './rescanner.ts';
import { createStabilityTracker, type StabilityTracker } from './stability.ts';
import { takeFile } from './take-file.ts';
import { watchTree, type TreeChange, type TreeWatch, type TreeWatchBackend } from './tree-watch.ts';
import type { Claim, FileStamp, WatchFolderRecord, WatchStore } from './watch-store.ts';

export interface WatchTiming {
  /** How often a watched folder's own existence and readability are checked. */
  healthMs: number;
  /** First retry after folder trouble; doubles up to retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** A full rescan now and then catches what notifications miss (network drives). */
  rescanMs: number;
}

export const DEFAULT_WATCH_TIMING: WatchTiming = {
  healthMs: 2000,
  retryBaseMs: 1000,
  retryCapMs: 60_000,
  rescanMs: 10 * 60_000,
};

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
  backend: TreeWatchBackend;
}

export interface FolderWatcher {
  readonly status: WatchStatus;
  readonly error: string | undefined;
  stop(): Promise<void>;
}

/** A stable file, read and hashed, waiting for its batch to be claimed. */
interface Hashed {
  sha256: string;
  source: string;
  stamp: FileStamp;
}

const SCAN_STAT_CONCURRENCY = 32;
const RESCAN_QUIET_MS = 300;
const RESCAN_MAX_WAIT_MS = 2000;
/** Hashed files are claimed and queued together: up to this long after the first, or this many. */
const BATCH_DELAY_MS = 50;
const BATCH_MAX = 1000;
const MAX_OPEN_TRIES = 5;

export function describeFolderTrouble(path: string, thrown: unknown): string {
  const code = (thrown as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return `The folder ${path} cannot be found: it was deleted or renamed, or its drive is gone. GenQueue keeps looking for it.`;
  if (code === 'EACCES' || code === 'EPERM')
    return `GenQueue is not allowed to read the folder ${path}. It tries again now and then.`;
  if (code === 'ENOTDIR') return `${path} is not a folder any more. GenQueue keeps looking for it.`;
  if (code === 'ENOSPC' || code === 'EMFILE')
    return `The system has no more file watches to give for ${path}. GenQueue tries again now and then.`;
  return `The folder ${path} cannot be watched: ${toEngineError(thrown).message}`;
}

export function startFolderWatcher(
  record: WatchFolderRecord,
  deps: FolderWatcherDeps,
): FolderWatcher {
  const { settings } = record;
  const root = settings.path;
  const abort = new AbortController();
  const startedAt = Date.now();
  const openTries = new Map<string, number>();
  let status: WatchStatus = 'starting';
  let error: string | undefined;
  let tree: TreeWatch | undefined;
  let rootId = '';
  /** Where the folder really is: a file whose real path is elsewhere is not taken. */
  let realRoot = root;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let batch: Hashed[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  /** Files between "stable" and claimed (being read, or waiting in a batch): never taken twice. */
  const taking = new Set<string>();
  let rules: PathRules = createPathRules(settings, deps.outputDirs());
  let nextRescanAt = Date.now() + deps.timing.rescanMs;

  const rescanner = createRescanner({
    quietMs: RESCAN_QUIET_MS,
    maxWaitMs: RESCAN_MAX_WAIT_MS,
    rescan: (dir, deep) => scan(dir, deep),
  });

  const tracker: StabilityTracker = createStabilityTracker({
    stableMs: settings.stableMs ?? 1000,
    onStable: (path, stamp) => {
      // A rescan or a late event may report a file that is already being taken, or was taken.
      if (taking.has(path) || deps.store.seen(record.id, path, stamp)) return;
      taking.add(path);
      void take(path, stamp);
    },
    onTrouble: (path, thrown) =>
      skip(path, { size: -1, mtimeMs: -1 }, `GenQueue cannot look at it (${thrown.code}).`),
  });

  function setStatus(next: WatchStatus, message?: string): void {
    if (status === next && error === message) return;
    status = next;
    error = message;
    deps.changed();
  }

  /** Passes a file over on purpose: counted, and listed in the folder's view with why. */
  function skip(path: string, stamp: FileStamp, reason: string): void {
    deps.store.markSkipped(record.id, path, stamp, reason);
    deps.changed();
  }

  async function take(path: string, stamp: FileStamp): Promise<void> {
    let batched = false;
    try {
      const taken = await deps.hashes.run(() =>
        takeFile(path, stamp, abort.signal, { path: root, real: realRoot }),
      );
      if (abort.signal.aborted) return;
      openTries.delete(path);
      if (taken.kind === 'changed') tracker.touch(path);
      else if (taken.kind === 'ours') deps.store.markSeen(record.id, [{ path, stamp }]);
      else if (taken.kind === 'refused') skip(path, stamp, taken.reason);
      else if (taken.kind === 'taken') {
        batch.push({ sha256: taken.sha256, source: path, stamp });
        batched = true;
        if (batch.length >= BATCH_MAX) void flush();
        else batchTimer ??= setTimeout(() => void flush(), BATCH_DELAY_MS);
      }
    } catch (thrown) {
      if (abort.signal.aborted) return;
      // Locked or not yet readable (a writer that still holds it on Windows): try again later.
      const tries = (openTries.get(path) ?? 0) + 1;
      openTries.set(path, tries);
      if (tries < MAX_OPEN_TRIES) tracker.touch(path);
      else {
        openTries.delete(path);
        const why = (thrown as NodeJS.ErrnoException).code ?? toEngineError(thrown).message;
        skip(path, stamp, `GenQueue could not open it after ${MAX_OPEN_TRIES} tries (${why}).`);
      }
    } finally {
      if (!batched) taking.delete(path);
    }
  }

  function flush(): Promise<void> {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    const files = batch;
    batch = [];
    flushing = flushing.then(() => queue(files));
    return flushing;
  }

  async function queue(files: Hashed[]): Promise<void> {
    if (files.length === 0) return;
    const done = (): void => files.forEach((file) => taking.delete(file.source));
    const patch: RecipePatch = {
      ...settings.recipe,
      ...(settings.outDir && { outDir: settings.outDir }),
    };
    let fresh: Claim[] = [];
    try {
      const key = deps.recipeKey(patch);
      fresh = deps.store.claim(
        record.id,
        files.map((file) => ({ ...file, recipeKey: key })),
      );
      done(); // claimed files are marked seen: from here on they are known
      if (fresh.length > 0) {
        const result = await deps.enqueue(
          fresh.map((claim) => claim.source),
          patch,
        );
        const refused = new Set(result.skipped.map((skipped) => skipped.path));
        const accepted = fresh.filter((claim) => !refused.has(claim.source));
        deps.store.linkJobs(accepted.map((claim, i) => ({ claim, jobId: result.jobIds[i]! })));
        deps.store.release(
          record.id,
          fresh.filter((claim) => refused.has(claim.source)),
        );
      }
      deps.changed();
    } catch (thrown) {
      // Nothing is lost: released files are taken again by the rescan that follows the retry.
      deps.store.release(record.id, fresh);
      done();
      if (!abort.signal.aborted) {
        await trouble(`Files in ${root} cannot be queued: ${toEngineError(thrown).message}`);
      }
    }
  }

  function onChanges(changes: readonly TreeChange[]): void {
    for (const change of changes) {
      if (change.type === 'delete') continue;
      if (rules.wantsFile(change.path)) {
        tracker.touch(change.path);
        rescanner.mark(dirname(change.path), false);
      } else if (change.type === 'create' && !looksLikeImageName(change.path)) {
        void maybeFolder(change.path);
      }
    }
  }

  /** A folder made, moved or copied in: its files may have arrived before its own watch did. */
  async function maybeFolder(path: string): Promise<void> {
    if (!rules.wantsDir(path) || basename(path).startsWith('.')) return;
    try {
      const info = await lstat(path);
      if (info.isSymbolicLink()) return await linkedFolder(path);
      if (!info.isDirectory()) return;
      await scan(path, true);
      rescanner.mark(path, true);
    } catch {
      // Gone again, or unreadable: its own events (or the next scan) will tell.
    }
  }

  /** A link among the folders is never walked into (it may lead anywhere): it is listed instead. */
  async function linkedFolder(path: string): Promise<void> {
    try {
      const link = await lstat(path);
      const stamp = { size: link.size, mtimeMs: link.mtimeMs };
      if (deps.store.seen(record.id, path, stamp) || !(await stat(path)).isDirectory()) return;
      skip(path, stamp, 'It is a link to a folder: GenQueue does not walk into linked folders.');
    } catch {
      // Gone, or a link to nothing: nothing to walk either way.
    }
  }

  /**
   * Walks `dir` (and, when `deep`, its sub-folders), handing every candidate not already seen
   * with the same stamp to the tracker; when priming, what was there before is only noted.
   * Links are looked at, never through: the tracker hands them on and the taker refuses them.
   */
  async function scan(dir: string, deep: boolean, priming = false): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    const files: string[] = [];
    const dirs: string[] = [];
    const links: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (settings.recursive && rules.wantsDir(path)) dirs.push(path);
      } else if (rules.wantsFile(path)) {
        files.push(path);
      } else if (entry.isSymbolicLink() && settings.recursive && rules.wantsDir(path)) {
        links.push(path);
      }
    }
    const ignored: { path: string; stamp: FileStamp }[] = [];
    await mapLimit(files, SCAN_STAT_CONCURRENCY, async (path) => {
      if (abort.signal.aborted) return;
      try {
        const info = await lstat(path);
        const stamp = { size: info.size, mtimeMs: info.mtimeMs };
        if (deps.store.seen(record.id, path, stamp)) return;
        // Priming leaves alone what was there before the watch began, not what lands meanwhile.
        if (priming && Math.max(info.mtimeMs, info.ctimeMs) < startedAt)
          ignored.push({ path, stamp });
        else tracker.found(path, { ...stamp, ctimeMs: info.ctimeMs });
      } catch {
        // Vanished between readdir and stat.
      }
    });
    deps.store.markSeen(record.id, ignored);
    for (const link of links) await linkedFolder(link);
    for (const sub of deep ? dirs : []) {
      if (abort.signal.aborted) return;
      try {
        await scan(sub, true, priming);
      } catch {
        // A sub-folder that cannot be read is left out; the root's health decides the status.
      }
    }
  }

  async function checkRoot(): Promise<string> {
    const info = await stat(root);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await access(root, constants.R_OK | constants.X_OK);
    realRoot = await realpath(root);
    return `${info.dev}:${info.ino}`;
  }

  async function start(): Promise<void> {
    try {
      rootId = await checkRoot();
      rules = createPathRules(settings, deps.outputDirs());
      tree = await watchTree(
        {
          root,
          recursive: settings.recursive,
          ignoredDirs: rules.ignoredDirs,
          onChanges,
          onError: () => void recheck(true),
        },
        deps.backend,
      );
      if (abort.signal.aborted) return void (await tree.close());
      const priming = !record.primed && settings.existing === 'ignore';
      await scan(root, true, priming);
      if (abort.signal.aborted) return;
      if (!record.primed) {
        deps.store.markPrimed(record.id);
        record.primed = true;
      }
      failures = 0;
      setStatus('watching');
      schedule(deps.timing.healthMs, () => recheck(false));
    } catch (thrown) {
      if (!abort.signal.aborted) await trouble(describeFolderTrouble(root, thrown));
    }
  }

  /** The periodic health look: same folder, still readable; now and then a full rescan. */
  async function recheck(rescan: boolean): Promise<void> {
    if (abort.signal.aborted || status !== 'watching') return;
    try {
      if ((await checkRoot()) !== rootId) {
        throw Object.assign(new Error('replaced'), { code: 'ENOENT' });
      }
      if (rescan || Date.now() >= nextRescanAt) {
        nextRescanAt = Date.now() + deps.timing.rescanMs;
        await scan(root, true);
      }
      schedule(deps.timing.healthMs, () => recheck(false));
    } catch (thrown) {
      if (!abort.signal.aborted) await trouble(describeFolderTrouble(root, thrown));
    }
  }

  /** Stops watching, shows why, and starts over (with a fresh scan) after a growing delay. */
  async function trouble(message: string): Promise<void> {
    await tree?.close().catch(() => {});
    tree = undefined;
    setStatus('error', message);
    const delay = exponentialDelay(failures++, deps.timing.retryBaseMs, deps.timing.retryCapMs);
    schedule(delay, start);
  }

  function schedule(delay: number, fn: () => Promise<void>): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void fn(), delay);
    retryTimer.unref();
  }

  void start();

  return {
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    async stop() {
      abort.abort();
      clearTimeout(retryTimer);
      tracker.close();
      rescanner.close();
      await tree?.close().catch(() => {});
      tree = undefined;
      // Files already hashed are claimed and queued; anything earlier is found by the next scan.
      await flush();
    },
  };
}
