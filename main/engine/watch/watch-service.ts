// The watched-folders service behind the watch.* routes: persists folders, runs one folder
// watcher per enabled folder (one folder's trouble never touches another), listens to job
// outcomes to move originals into done/ or failed/, and pushes each folder's view as it changes.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fail, toEngineError } from '../../contract/errors.ts';
import type { EventEnvelope, EventName, EventPayload } from '../../contract/events.ts';
import type { EnqueueResult } from '../../contract/routes.ts';
import {
  RecipeSchema,
  type JobView,
  type RecipePatch,
  type Settings,
} from '../../contract/schemas.ts';
import {
  WatchFolderSettingsSchema,
  type WatchFolderSettings,
  type WatchFolderUpdate,
  type WatchFolderView,
} from '../../contract/watch.ts';
import type { Database } from '../store/database.ts';
import { recipeKey } from '../store/jobs-store.ts';
import { DEFAULT_WATCH_TIMING, type WatchTiming } from './folder-health.ts';
import { startFolderWatcher, type FolderWatcher, type WatchProbe } from './folder-watcher.ts';
import { createLimiter } from '../util/limit.ts';
import { moveOriginal } from './originals.ts';
import type { TreeWatchBackend } from './tree-watch.ts';
import { createWatchStore, type WatchFolderRecord, type WatchStore } from './watch-store.ts';

/** Files hashed at once across all folders. */
const HASH_CONCURRENCY = 4;
/** A folder's view is pushed at most this often while it is busy. */
const VIEW_EVENT_MS = 100;

export interface WatchServiceDeps {
  db: Database;
  settings: () => Settings;
  /** The engine's one way to queue (jobs.enqueue with force: the ledger has already decided). */
  enqueue(paths: string[], recipe: RecipePatch): Promise<EnqueueResult>;
  subscribe(listener: (event: EventEnvelope) => void): () => void;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  timing?: Partial<WatchTiming>;
  backend?: TreeWatchBackend;
  /** Tests observe the watchers' passes through it; the product passes none. */
  probe?: WatchProbe;
}

export interface WatchService {
  list(): WatchFolderView[];
  add(settings: WatchFolderSettings): Promise<WatchFolderView>;
  update(update: WatchFolderUpdate): Promise<WatchFolderView>;
  remove(id: string): Promise<void>;
  start(): void;
  /** Stops taking new files; files already read are queued before it resolves. */
  stop(): Promise<void>;
}

type Emit = WatchServiceDeps['emit'];

/** Each folder's view (its settings, its watcher's status, counts), pushed when it changes. */
function createViews(store: WatchStore, running: Map<string, FolderWatcher>, emit: Emit) {
  const due = new Map<string, NodeJS.Timeout>();

  function view(record: WatchFolderRecord): WatchFolderView {
    const watcher = running.get(record.id);
    const status = !record.enabled ? 'disabled' : (watcher?.status ?? 'starting');
    const error = record.enabled ? watcher?.error : undefined;
    return {
      ...record.settings,
      id: record.id,
      enabled: record.enabled,
      status,
      ...(error && { error }),
      counts: store.counts(record.id),
      skippedFiles: store.skippedFiles(record.id),
      ...(record.lastEventAt != null && { lastEventAt: record.lastEventAt }),
    };
  }

  return {
    view,
    /** A folder's view is built (counts are a query) and pushed at most every VIEW_EVENT_MS. */
    changed(id: string): void {
      if (due.has(id)) return;
      const timer = setTimeout(() => {
        due.delete(id);
        const record = store.get(id);
        if (record) emit('watch.updated', view(record));
      }, VIEW_EVENT_MS);
      due.set(id, timer);
    },
    close(): void {
      for (const timer of due.values()) clearTimeout(timer);
      due.clear();
    },
  };
}

/** Job outcomes for watched folders: originals moved into done/ or failed/ when asked. */
function createOutcomes(store: WatchStore, emit: Emit, changed: (id: string) => void) {
  /** Outcome handling in progress (moves), awaited on stop so none touches a closed store. */
  const settling = new Set<Promise<void>>();

  async function finished(job: JobView): Promise<void> {
    const claim = store.claimOfJob(job.id);
    const record = claim && store.get(claim.folderId);
    if (!record) return;
    const move = job.stage === 'done' ? record.settings.afterSuccess : record.settings.afterFailure;
    if (move === 'move') {
      try {
        await moveOriginal(
          claim.source,
          job.stage === 'done' ? 'done' : 'failed',
          job.error?.message,
        );
      } catch (thrown) {
        emit('notice', {
          level: 'warning',
          message: `GenQueue could not move ${claim.source}: ${toEngineError(thrown).message}`,
        });
      }
    }
    changed(record.id);
  }

  return {
    /** Listens for jobs that end; returns the unsubscribe. */
    listen(subscribe: WatchServiceDeps['subscribe']): () => void {
      return subscribe((event) => {
        if (event.name !== 'job.updated') return;
        const { stage } = event.payload;
        if (stage !== 'done' && stage !== 'failed') return;
        const work = finished(event.payload).finally(() => settling.delete(work));
        settling.add(work);
      });
    },
    settled: () => Promise.all(settling),
  };
}

/** A folder to watch, checked and made absolute; throws a sentence when it cannot be watched. */
async function checkSettings(
  settings: WatchFolderSettings,
  others: readonly WatchFolderRecord[],
): Promise<WatchFolderSettings> {
  const path = resolve(settings.path);
  const outDir = settings.outDir && resolve(settings.outDir);
  try {
    if (!(await stat(path)).isDirectory()) fail('bad_input', `${path} is a file, not a folder.`);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT')
      fail('io', `The folder ${path} does not exist.`);
    throw thrown;
  }
  if (outDir === path)
    fail(
      'bad_input',
      'The output folder cannot be the watched folder itself: choose a folder inside it or elsewhere.',
    );
  if (others.some((other) => resolve(other.settings.path) === path))
    fail('duplicate', `The folder ${path} is already watched.`);
  return { ...settings, path, ...(outDir && { outDir }) };
}

/** The recipe key a folder's jobs get, from the default recipe and the folder's own changes. */
function keyFor(settings: Settings, patch: RecipePatch): string {
  const parsed = RecipeSchema.safeParse({ ...settings.defaultRecipe, ...patch });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(
      'invalid_recipe',
      `The recipe is not complete: ${issue?.path.join('.')} ${issue?.message}.`,
    );
  }
  return recipeKey(parsed.data);
}

export function createWatchService(deps: WatchServiceDeps): WatchService {
  const store = createWatchStore(deps.db);
  const timing = { ...DEFAULT_WATCH_TIMING, ...deps.timing };
  const hashes = createLimiter(HASH_CONCURRENCY);
  const running = new Map<string, FolderWatcher>();
  const views = createViews(store, running, deps.emit);
  const outcomes = createOutcomes(store, deps.emit, views.changed);
  let unsubscribe: (() => void) | undefined;

  function require(id: string): WatchFolderRecord {
    return store.get(id) ?? fail('not_found', 'This watched folder no longer exists.');
  }

  function outputDirs(): string[] {
    const dirs = store.list().flatMap((record) => record.settings.outDir ?? []);
    const fromSettings = deps.settings().outputDir;
    return fromSettings ? [...dirs, fromSettings] : dirs;
  }

  function run(record: WatchFolderRecord): void {
    if (!record.enabled || running.has(record.id)) return;
    running.set(
      record.id,
      startFolderWatcher(record, {
        store,
        recipeKey: (patch) => keyFor(deps.settings(), patch),
        enqueue: deps.enqueue,
        outputDirs,
        changed: () => views.changed(record.id),
        hashes,
        timing,
        backend: deps.backend,
        probe: deps.probe,
      }),
    );
  }

  async function halt(id: string): Promise<void> {
    const watcher = running.get(id);
    running.delete(id);
    await watcher?.stop();
  }

  /** Runs the folder as it is now stored and pushes its view. */
  function shown(id: string): WatchFolderView {
    const record = require(id);
    run(record);
    const view = views.view(record);
    deps.emit('watch.updated', view);
    return view;
  }

  return {
    list: () => store.list().map(views.view),

    async add(settings) {
      return shown(store.add(await checkSettings(settings, store.list())).id);
    },

    async update({ id, enabled, ...patch }) {
      const before = require(id);
      const settings = await checkSettings(
        WatchFolderSettingsSchema.parse({ ...before.settings, ...patch }),
        store.list().filter((other) => other.id !== id),
      );
      await halt(id);
      store.update(id, settings, enabled ?? before.enabled);
      return shown(id);
    },

    async remove(id) {
      require(id);
      await halt(id);
      store.remove(id);
      deps.emit('watch.removed', { id });
    },

    start() {
      store.recoverUnlinked();
      unsubscribe = outcomes.listen(deps.subscribe);
      for (const record of store.list()) run(record);
    },

    async stop() {
      unsubscribe?.();
      await Promise.all([...running.keys()].map(halt));
      await outcomes.settled();
      views.close();
    },
  };
}
