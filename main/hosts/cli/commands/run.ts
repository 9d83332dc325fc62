// `genqueue run`: queue the given files and folders (or, given none, take up what is queued),
// process them with the same engine the app uses, and exit when every one of them has finished —
// 0 if all succeeded, 1 otherwise. APIMart unreachable is a state, not a failure: the jobs stay
// queued and the run waits for it (unless --no-wait). Ctrl-C leaves every job durable.
import { dispatch } from '../../../contract/dispatch.ts';
import { EngineFailure, engineError, toEngineError } from '../../../contract/errors.ts';
import type { RecipePatch } from '../../../contract/schemas.ts';
import type { Engine } from '../../../engine/engine.ts';
import { call, jobsWhere, openEngine } from '../open-engine.ts';
import { refuseUnfitRecipe } from '../recipe-check.ts';
import { createReporter, type Output, reportMode } from '../reporter.ts';
import type { JobStage } from '../../../contract/schemas.ts';
import { isResting } from '../../../contract/stages.ts';

export interface RunArgs {
  /** None: process what is already queued. */
  paths: string[];
  recipe: RecipePatch;
  json: boolean;
  simulate: boolean;
  force: boolean;
  /** Wait for APIMart while it cannot be reached (false: --no-wait gives up at once). */
  wait: boolean;
}

type Reporter = ReturnType<typeof createReporter>;

/** How long a run waits for the network to come back before it gives up (jobs stay queued). */
const OFFLINE_WAIT_MS = Number(process.env.GENQUEUE_OFFLINE_WAIT_SECONDS ?? 600) * 1000;

export async function runCommand(
  args: RunArgs,
  io: { stdout: Output; stderr: Output },
  env = process.env,
): Promise<number> {
  const { engine, home } = await openEngine('genqueue run', env, { simulate: args.simulate });
  const mode = reportMode(args.json, io.stdout);
  const tracked = new Set<string>();
  const reporter = createReporter(io.stdout, mode, tracked);
  const unsubscribe = engine.subscribe(reporter.onEvent);
  const interrupted = onInterrupt();
  try {
    if (args.paths.length > 0) await refuseUnfitRecipe(engine, args.recipe);
    // Listed before the engine starts, so a job that finishes at once is still counted.
    const resumed = args.paths.length === 0 ? await unfinished(engine) : [];
    await engine.start();
    const unreachable = await unreachableSentence(engine, env);
    const ids = args.paths.length === 0 ? resumed : await enqueue(engine, args, reporter);
    for (const id of ids) tracked.add(id);
    if (tracked.size === 0) {
      if (args.paths.length > 0) {
        reporter.say('Nothing to do: none of the given paths is an image GenQueue can queue.');
        return 1;
      }
      reporter.say(`Nothing to do: the queue in ${home} has no unfinished jobs.`);
      return 0;
    }
    if (unreachable) {
      if (!args.wait) {
        const kept = `${tracked.size} job${tracked.size === 1 ? ' is' : 's are'} kept in ${home}; run again to carry on.`;
        throw new EngineFailure(engineError('network', `${unreachable} ${kept}`));
      }
      reporter.say(
        `${unreachable} The jobs are queued: waiting for it to answer (Ctrl-C to stop).`,
      );
    }
    const offlineWaitMs = args.wait ? OFFLINE_WAIT_MS : 0;
    const outcome = await Promise.race([
      waitForTracked(engine, tracked, offlineWaitMs),
      interrupted.promise,
    ]);
    const jobs = await call(engine, 'jobs.get', { ids: [...tracked] });
    const done = jobs.filter((job) => job.stage === 'done').length;
    const failed = jobs.filter((job) => job.stage === 'failed').length;
    const summary = {
      total: jobs.length,
      done,
      failed,
      pending: jobs.length - done - failed,
      home,
    };
    reporter.summary(summary);
    // Jobs that were already failed or waiting for a decision before this run are shown too.
    for (const job of jobs) if (job.stage !== 'done') reporter.outcome(job);
    if (outcome !== 'finished') {
      reporter.say(
        `${outcome} ${jobs.length - done} of ${jobs.length} jobs are kept in ${home}; run the same command again to carry on.`,
      );
      return outcome.startsWith('Stopped') ? 130 : 1;
    }
    if (mode !== 'json') reporter.say(`${done} of ${jobs.length} done.`);
    return done === jobs.length ? 0 : 1;
  } finally {
    interrupted.dispose();
    unsubscribe();
    await engine.stop();
  }
}

/** What a run without paths waits for: every unfinished job but those waiting for a person. */
async function unfinished(engine: Engine): Promise<string[]> {
  // Held jobs wait for the person who paused them, ambiguous ones for a decision.
  const open = await jobsWhere(engine, 'active');
  return open.filter((job) => !job.held && job.stage !== 'ambiguous').map((job) => job.id);
}

/** Queues the paths; returns the jobs this run waits for, those it found already queued too. */
async function enqueue(engine: Engine, args: RunArgs, reporter: Reporter): Promise<string[]> {
  const queued = await call(engine, 'jobs.enqueue', {
    paths: args.paths,
    recipe: args.recipe,
    force: args.force,
  });
  const ids = [...queued.jobIds];
  for (const skip of queued.skipped) {
    if (skip.jobId) ids.push(skip.jobId);
    else reporter.say(`skipped ${skip.path}: ${skip.reason}`);
  }
  return ids;
}

/**
 * A sentence when APIMart cannot be reached now (the run queues its jobs and waits for it, as the
 * app does); a refused key stops the run at once.
 */
async function unreachableSentence(
  engine: Engine,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const result = await dispatch(engine.handlers, 'key.test', {});
  if (result.ok || (result.error.code !== 'network' && result.error.code !== 'auth')) return;
  if ((await call(engine, 'app.info', {})).simulated) throw new EngineFailure(result.error);
  const url = env.APIMART_BASE_URL ?? (await call(engine, 'settings.get', {})).baseUrl;
  if (result.error.code === 'network')
    return `Cannot reach APIMart at ${url}: ${result.error.message}`;
  const message = `APIMart at ${url} refused the key: ${result.error.message}`;
  throw new EngineFailure({ ...result.error, message });
}

/** Resolves 'finished' when every tracked job is final, or with a sentence when the queue cannot go on. */
async function waitForTracked(
  engine: Engine,
  tracked: ReadonlySet<string>,
  offlineWaitMs: number,
): Promise<string> {
  const stages = new Map<string, JobStage>();
  for (const job of await call(engine, 'jobs.get', { ids: [...tracked] }))
    stages.set(job.id, job.stage);
  const open = (): number => [...stages.values()].filter((stage) => !isResting(stage)).length;
  let remaining = open();
  return new Promise((resolve) => {
    let offlineSince: number | undefined;
    const unsubscribe = engine.subscribe((event) => {
      if (event.name !== 'job.updated' || !stages.has(event.payload.id)) return;
      stages.set(event.payload.id, event.payload.stage);
      remaining = open();
      if (remaining === 0) finish('finished');
    });
    const watchPause = async (): Promise<void> => {
      const stats = await call(engine, 'queue.stats', {});
      if (stats.paused === 'auth' || stats.paused === 'balance' || stats.paused === 'disk') {
        return finish(stats.pauseMessage ?? 'The queue paused.');
      }
      offlineSince = stats.paused === 'offline' ? (offlineSince ?? Date.now()) : undefined;
      if (offlineSince !== undefined && Date.now() - offlineSince >= offlineWaitMs)
        finish(
          offlineWaitMs
            ? 'APIMart could not be reached for too long.'
            : 'APIMart cannot be reached (--no-wait).',
        );
    };
    const timer = setInterval(
      () => void watchPause().catch((e) => finish(toEngineError(e).message)),
      500,
    );
    if (remaining === 0) finish('finished');
    function finish(outcome: string): void {
      clearInterval(timer);
      unsubscribe();
      resolve(outcome);
    }
  });
}

function onInterrupt(): { promise: Promise<string>; dispose: () => void } {
  let handler: () => void = () => {};
  const promise = new Promise<string>((resolve) => {
    handler = () => resolve('Stopped.');
  });
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
