// The engine's side of every route in the contract. Typed by the contract's Handlers map, so a
// route added there without a handler here does not compile. Handlers validate meaning (a path
// that exists, a recipe a model can take); the dispatcher has already validated shape.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineFailure, engineError, fail } from '../contract/errors.ts';
import type { Handlers } from '../contract/dispatch.ts';
import type { EventName, EventPayload } from '../contract/events.ts';
import { extensionForType } from '../contract/image-files.ts';
import type { AppInfo, EnqueueResult } from '../contract/routes.ts';
import {
  RecipeSchema,
  type KeyStatus,
  type NetStatus,
  type Recipe,
  type RecipePatch,
} from '../contract/schemas.ts';
import type { ApimartClient } from './apimart/client.ts';
import type { DesktopPort, SecretsPort } from './host/ports.ts';
import { expandPaths, skippedSummary } from './ingest/expand-paths.ts';
import { groupFailures } from './jobs/failure-groups.ts';
import type { Lifecycle } from './jobs/lifecycle.ts';
import { createResultHandlers } from './results/result-handlers.ts';
import { thumbnail } from './results/thumbnails.ts';
import type { Scheduler } from './queue/scheduler.ts';
import type { SettingsService } from './settings.ts';
import { toJobView, type JobRecord, type JobsStore } from './store/jobs-store.ts';
import type { ResultsQuery } from './store/results-query.ts';
import type { WatchService } from './watch/watch-service.ts';

export interface HandlerDeps {
  store: JobsStore;
  life: Lifecycle;
  settings: SettingsService;
  scheduler: Scheduler;
  secrets: SecretsPort;
  desktop: DesktopPort | undefined;
  client: () => ApimartClient;
  keyStatus: () => Promise<KeyStatus>;
  netStatus: () => NetStatus;
  useSimulator: (enabled: boolean) => Promise<void>;
  simulated: () => boolean;
  info: () => AppInfo;
  thumbnailDir: string;
  /** Where pasted images are saved before they are queued. */
  inboxDir: string;
  emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  changed: (job: JobRecord) => void;
  watch: WatchService;
  /** The Results view's queries over finished jobs. */
  results: ResultsQuery;
}

/** Per-job events for a batch larger than this are replaced by one stats event (the UI refetches). */
const EVENTS_PER_BATCH = 500;
/** Finished jobs that running the same files again queues again (a done one is kept as it is). */
const RETRYABLE: readonly string[] = ['failed', 'cancelled'];
/** The failed jobs grouped at most (the routes that act on ids take as many). */
const MAX_FAILURES = 100_000;
/** The recent files a watched folder's card lists. */
const RECENT_FILES = 5;

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, life, settings, scheduler } = deps;

  function recipeFrom(patch: RecipePatch | undefined): Recipe {
    const parsed = RecipeSchema.safeParse({ ...settings.get().defaultRecipe, ...patch });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(
        'invalid_recipe',
        `The recipe is not complete: ${issue?.path.join('.')} ${issue?.message}.`,
      );
    }
    return parsed.data;
  }

  function desktop(): DesktopPort {
    if (!deps.desktop) fail('unknown_route', 'This host has no desktop integration.');
    return deps.desktop;
  }

  /** The window may open or reveal only what GenQueue itself handles: sources and results. */
  function ownedPath(path: string): string {
    if (!store.ownsPath(path))
      fail('not_found', 'GenQueue only opens or copies images that are in its queue.');
    return path;
  }

  function eachJob(
    ids: readonly string[],
    act: (job: JobRecord) => JobRecord | undefined,
  ): { count: number } {
    let count = 0;
    for (const id of ids) {
      const job = store.get(id);
      if (!job) continue;
      const next = act(job);
      if (next) {
        count++;
        deps.changed(next);
      }
    }
    scheduler.wake();
    return { count };
  }

  /** The retry's move for a finished job, its recipe patched first (see Lifecycle.retry). */
  function requeue(
    job: JobRecord,
    patch: RecipePatch | undefined,
    insist: boolean,
  ): JobRecord | undefined {
    return life.retry(job, patch ? recipeFrom({ ...job.recipe, ...patch }) : job.recipe, insist);
  }

  async function enqueue(
    paths: readonly string[],
    patch: RecipePatch | undefined,
    force: boolean,
  ): Promise<EnqueueResult> {
    const recipe = recipeFrom(patch);
    const expanded = await expandPaths(paths);
    const fresh: string[] = [];
    const revived: string[] = [];
    for (const source of expanded.files) {
      const same = force ? undefined : store.findSame(source, recipe);
      // The same work that failed or was cancelled is queued again, never beside a twin of itself.
      const again =
        same && RETRYABLE.includes(same.stage) ? requeue(same, recipe, false) : undefined;
      if (again) {
        deps.changed(again);
        revived.push(again.id);
      } else if (same) {
        expanded.skipped.push({
          path: source,
          reason: 'Already queued with this recipe.',
          jobId: same.id,
        });
      } else {
        fresh.push(source);
      }
    }
    const simulated = deps.simulated();
    const jobIds = store.enqueue(
      fresh.map((source) => ({ source, recipe, simulated, forced: force })),
    );
    if (jobIds.length <= EVENTS_PER_BATCH) {
      for (const id of jobIds) deps.emit('job.updated', toJobView(store.require(id)));
    }
    deps.emit('queue.stats', scheduler.stats());
    // Files already in the queue are not "skipped": their jobs carry on. Say so only when nothing was new.
    const refused = expanded.skipped.filter((skip) => !skip.jobId);
    const already = expanded.skipped.length - refused.length;
    const summary =
      skippedSummary({ files: expanded.files, skipped: refused }) ??
      (already > 0 && jobIds.length + revived.length === 0
        ? `All ${already} files are already in the queue with this recipe.`
        : undefined);
    if (summary)
      deps.emit('notice', { level: refused.length > 0 ? 'warning' : 'info', message: summary });
    scheduler.wake();
    return { jobIds: [...revived, ...jobIds], skipped: expanded.skipped };
  }

  return {
    'app.info': async () => deps.info(),

    'jobs.enqueue': async ({ paths, recipe, force }) => enqueue(paths, recipe, force ?? false),

    'jobs.list': async ({ filter, offset, limit }) => {
      const page = store.list(filter, offset, limit);
      return { jobs: page.jobs.map(toJobView), total: page.total };
    },

    'jobs.get': async ({ ids }) =>
      ids.flatMap((id) => {
        const job = store.get(id);
        return job ? [toJobView(job)] : [];
      }),

    'jobs.retry': async ({ ids, recipe: patch }) =>
      eachJob(ids, (job) => {
        if (job.stage === 'ambiguous') {
          // The person decided: send it again, knowing it may be billed twice.
          return life.resubmit(job);
        }
        return requeue(job, patch, true);
      }),

    'jobs.cancel': async ({ ids }) =>
      eachJob(ids, (job) => {
        const cancelled = life.cancel(job);
        if (cancelled) scheduler.cancel(job.id);
        return cancelled;
      }),

    'jobs.remove': async ({ ids }) => {
      for (const id of ids) scheduler.cancel(id);
      const count = store.remove(ids);
      deps.emit('job.removed', { ids: [...ids] });
      deps.emit('queue.stats', scheduler.stats());
      return { count };
    },

    'jobs.clearFinished': async () => {
      const ids = store.clearFinished();
      deps.emit('job.removed', { ids });
      deps.emit('queue.stats', scheduler.stats());
      return { count: ids.length };
    },

    'jobs.failures': async () => groupFailures(store.list('failed', 0, MAX_FAILURES).jobs),

    'jobs.pause': async ({ ids }) =>
      eachJob(ids, (job) => {
        const held = life.hold(job);
        if (held) scheduler.cancel(job.id);
        return held;
      }),

    'jobs.resume': async ({ ids }) => eachJob(ids, (job) => life.release(job)),

    'jobs.moveToTop': async ({ ids }) =>
      eachJob([...ids].reverse(), (job) => {
        store.moveToTop(job.id);
        return store.get(job.id);
      }),

    'jobs.thumbnail': async ({ id, which, index }) => ({
      dataUrl: await thumbnail(deps.thumbnailDir, store.require(id), which, index),
    }),

    'files.paste': async ({ dataBase64, mime, recipe }) => {
      await mkdir(deps.inboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const path = join(deps.inboxDir, `pasted-${stamp}.${extensionForType(mime)}`);
      await writeFile(path, Buffer.from(dataBase64, 'base64'));
      return enqueue([path], recipe, false);
    },

    'queue.stats': async () => scheduler.stats(),
    'net.status': async () => deps.netStatus(),
    'queue.pause': async () => {
      scheduler.setPause({ reason: 'user', message: 'Paused.' });
      return scheduler.stats();
    },
    'queue.resume': async () => {
      if (scheduler.pause?.reason === 'auth' && (await deps.keyStatus()).state === 'not-set') {
        throw new EngineFailure(
          engineError('auth', 'Set an APIMart API key first.', { pause: 'auth' }),
        );
      }
      scheduler.resume();
      return scheduler.stats();
    },

    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      const next = settings.update(patch);
      scheduler.wake();
      return next;
    },

    'key.status': async () => deps.keyStatus(),
    'key.set': async ({ key }) => {
      await deps.secrets.save(key);
      await deps.useSimulator(false);
      return deps.keyStatus();
    },
    'key.clear': async () => {
      await deps.secrets.clear();
      return deps.keyStatus();
    },
    'key.test': async () => deps.client().balance({}),
    'key.useSimulator': async ({ enabled }) => {
      await deps.useSimulator(enabled);
      return deps.keyStatus();
    },

    'files.pick': async ({ kind }) => ({ paths: await desktop().pickPaths(kind) }),
    'shell.open': async ({ path }) => {
      await desktop().open(ownedPath(path));
      return null;
    },
    'shell.reveal': async ({ path }) => {
      await desktop().reveal(ownedPath(path));
      return null;
    },
    'clipboard.copyImage': async ({ path }) => {
      const host = desktop();
      if (!host.copyImage) fail('unknown_route', 'This host cannot copy images to the clipboard.');
      await host.copyImage(ownedPath(path));
      return null;
    },

    ...createResultHandlers(store, deps.results),

    'watch.list': async () => deps.watch.list(),
    'watch.add': async (settings) => deps.watch.add(settings),
    'watch.update': async (update) => deps.watch.update(update),
    'watch.remove': async ({ id }) => {
      await deps.watch.remove(id);
      return null;
    },
    'watch.recent': async ({ id }) => {
      const folder = deps.watch.list().find((watched) => watched.id === id);
      if (!folder) fail('not_found', 'This watched folder no longer exists.');
      return store.latestUnder(folder.path, RECENT_FILES).map(toJobView);
    },
  };
}
