// The engine's side of the jobs.* routes (and files.paste, which queues what it saves): queueing
// files with the duplicate guard, and the person's moves on jobs (retry, cancel, hold, remove),
// each written through the lifecycle. Spread into the one handlers map by handlers.ts.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../../contract/dispatch.ts';
import { extensionForType } from '../../contract/image-files.ts';
import type { EnqueueResult, RouteName } from '../../contract/routes.ts';
import type { Recipe, RecipePatch } from '../../contract/schemas.ts';
import type { HandlerDeps } from '../handlers.ts';
import { expandPaths, skippedSummary } from '../ingest/expand-paths.ts';
import { thumbnail } from '../results/thumbnails.ts';
import { toJobView, type JobRecord } from '../store/jobs-store.ts';
import { groupFailures } from './failure-groups.ts';

type JobRoutes = Extract<RouteName, `jobs.${string}`> | 'files.paste';

/** Per-job events for a batch larger than this are replaced by one stats event (the UI refetches). */
const EVENTS_PER_BATCH = 500;
/** Finished jobs that running the same files again queues again (a done one is kept as it is). */
const RETRYABLE: readonly string[] = ['failed', 'cancelled'];
/** The failed jobs grouped at most (the routes that act on ids take as many). */
const MAX_FAILURES = 100_000;

export function createJobHandlers(
  deps: HandlerDeps,
  recipeFrom: (patch: RecipePatch | undefined) => Recipe,
): Pick<Handlers, JobRoutes> {
  const { store, life, scheduler } = deps;
  const eachJob = (ids: readonly string[], act: (job: JobRecord) => JobRecord | undefined) =>
    forEachJob(deps, ids, act);
  const enqueue = (paths: readonly string[], patch: RecipePatch | undefined, force: boolean) =>
    enqueueFiles(deps, recipeFrom, paths, patch, force);

  /** The retry's move for a finished job, its recipe patched first (see Lifecycle.retry). */
  function requeue(
    job: JobRecord,
    patch: RecipePatch | undefined,
    insist: boolean,
  ): JobRecord | undefined {
    return life.retry(job, patch ? recipeFrom({ ...job.recipe, ...patch }) : job.recipe, insist);
  }

  return {
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
  };
}

/** Applies `act` to each job still there; every job it moved is announced. */
function forEachJob(
  deps: HandlerDeps,
  ids: readonly string[],
  act: (job: JobRecord) => JobRecord | undefined,
): { count: number } {
  let count = 0;
  for (const id of ids) {
    const job = deps.store.get(id);
    if (!job) continue;
    const next = act(job);
    if (next) {
      count++;
      deps.changed(next);
    }
  }
  deps.scheduler.wake();
  return { count };
}

/**
 * Queues files (folders expanded), once each: the same work that failed or was cancelled is queued
 * again, never beside a twin of itself; what is already queued is reported, not added twice.
 */
async function enqueueFiles(
  deps: HandlerDeps,
  recipeFrom: (patch: RecipePatch | undefined) => Recipe,
  paths: readonly string[],
  patch: RecipePatch | undefined,
  force: boolean,
): Promise<EnqueueResult> {
  const { store, life, scheduler } = deps;
  const recipe = recipeFrom(patch);
  const expanded = await expandPaths(paths);
  const fresh: string[] = [];
  const revived: string[] = [];
  for (const source of expanded.files) {
    const same = force ? undefined : store.findSame(source, recipe);
    // The same work that failed or was cancelled is queued again, never beside a twin of itself.
    const again =
      same && RETRYABLE.includes(same.stage)
        ? life.retry(same, recipeFrom({ ...same.recipe, ...recipe }), false)
        : undefined;
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
