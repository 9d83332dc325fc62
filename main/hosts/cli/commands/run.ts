// `genqueue run`: queue the given files and folders (or, given none, take up what is queued),
// process them with the same engine the app uses, and exit when every one of them has finished —
// 0 if all succeeded, 1 otherwise, 3 when jobs are held at a spending cap (--max-spend, today's
// cap). APIMart unreachable is a state, not a failure: the jobs stay queued and the run waits for
// it (unless --no-wait). Ctrl-C leaves every job durable. --estimate prints the cost, sends nothing.
import { dispatch } from '../../../contract/dispatch.ts';
import { EngineFailure, engineError, toEngineError } from '../../../contract/errors.ts';
import type { JobView, RecipePatch } from '../../../contract/schemas.ts';
import type { Engine } from '../../../engine/engine.ts';
import { call, jobsWhere, openEngine } from '../open-engine.ts';
import { refuseUnfitRecipe } from '../recipe-check.ts';
import { createReporter, type Output, reportMode } from '../reporter.ts';
import { isResting } from '../../../contract/stages.ts';
import { capReasons, capSummary, estimateRun, EXIT_AT_CAP, heldAtCap } from './run-money.ts';

export interface RunArgs {
  /** None: process what is already queued. */
  paths: string[];
  recipe: RecipePatch;
  json: boolean;
  simulate: boolean;
  force: boolean;
  /** Wait for APIMart while it cannot be reached (false: --no-wait gives up at once). */
  wait: boolean;
  /** Print what the run would cost and stop: nothing is queued or uploaded. */
  estimate?: boolean;
  /** This run's spending cap in USD: no task is paid for past it. */
  maxSpendUsd?: number;
}

type Reporter = ReturnType<typeof createReporter>;

/** How long a run waits for the network to come back before it gives up (jobs stay queued). */
const OFFLINE_WAIT_MS = Number(process.env.GENQUEUE_OFFLINE_WAIT_SECONDS ?? 600) * 1000;

export async function runCommand(
  args: RunArgs,
  io: { stdout: Output; stderr: Output },
  env = process.env,
): Promise<number> {
  if (args.estimate) return printEstimate(args, io, env);
  const { engine, home } = await openEngine('genqueue run', env, {
    simulate: args.simulate,
    ...(args.maxSpendUsd !== undefined && { maxSpendUsd: args.maxSpendUsd }),
  });
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
    const held = jobs.filter(heldAtCap).length;
    const summary = {
      total: jobs.length,
      done,
      failed,
      pending: jobs.length - done - failed - held,
      ...(held > 0 && { held }),
      home,
    };
    reporter.summary(summary);
    // Jobs that were already failed or waiting for a decision before this run are shown too.
    for (const job of jobs) if (job.stage !== 'done' && !heldAtCap(job)) reporter.outcome(job);
    if (outcome !== 'finished') {
      reporter.say(
        `${outcome} ${jobs.length - done} of ${jobs.length} jobs are kept in ${home}; run the same command again to carry on.`,
      );
      return outcome.startsWith('Stopped') ? 130 : 1;
    }
    const atCap = capSummary(jobs);
    if (atCap) {
      for (const reason of capReasons(jobs)) reporter.say(reason);
      reporter.say(`${atCap}. Run again with a higher cap to carry on.`);
      return EXIT_AT_CAP;
    }
    if (mode !== 'json') reporter.say(`${done} of ${jobs.length} done.`);
    return done === jobs.length ? 0 : 1;
  } finally {
    interrupted.dispose();
    unsubscribe();
    await engine.stop();
  }
}

/** `genqueue run --estimate`: what the run would cost, said without queueing or uploading anything. */
async function printEstimate(
  args: RunArgs,
  io: { stdout: Output; stderr: Output },
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { engine } = await openEngine('genqueue run --estimate', env, { queueOnly: true });
  try {
    if (args.paths.length > 0) await refuseUnfitRecipe(engine, args.recipe);
    const estimate = await estimateRun(engine, args.paths, args.recipe);
    const text =
      args.paths.length === 0 ? `${estimate.text} (the queue's unpaid jobs)` : estimate.text;
    io.stdout.write(args.json ? `${JSON.stringify(estimate)}\n` : `${text}\n`);
    return 0;
  } finally {
    await engine.stop();
  }
}

/** What a run without paths waits for: every unfinished job but those waiting for a person. */
async function unfinished(engine: Engine): Promise<string[]> {
  // Held jobs wait for the person who paused them (those held at a cap for this run's), ambiguous
  // ones for a decision.
  const open = await jobsWhere(engine, 'active');
  return open
    .filter((job) => (!job.held || job.capHold) && job.stage !== 'ambiguous')
    .map((job) => job.id);
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

/**
 * Resolves 'finished' when every tracked job is final or held at a spending cap, or with a
 * sentence when the queue cannot go on.
 */
async function waitForTracked(
  engine: Engine,
  tracked: ReadonlySet<string>,
  offlineWaitMs: number,
): Promise<string> {
  const settled = new Map<string, boolean>();
  const capped = new Set<string>();
  const note = (job: JobView): void => {
    settled.set(job.id, isResting(job.stage) || heldAtCap(job));
    if (heldAtCap(job)) capped.add(job.id);
    else capped.delete(job.id);
  };
  const look = async (): Promise<void> => {
    for (const job of await call(engine, 'jobs.get', { ids: [...tracked] })) note(job);
  };
  await look();
  const open = (): number => [...settled.values()].filter((done) => !done).length;
  return new Promise((resolve) => {
    let offlineSince: number | undefined;
    let confirming = false;
    const unsubscribe = engine.subscribe((event) => {
      if (event.name !== 'job.updated' || !settled.has(event.payload.id)) return;
      note(event.payload);
      if (open() === 0) settle();
    });
    /** All settled: at once, unless some are held at a cap (the last cost may release one). */
    function settle(): void {
      if (capped.size === 0) return finish('finished');
      if (confirming) return;
      confirming = true;
      setTimeout(() => {
        void look()
          .then(() => {
            confirming = false;
            if (open() === 0) finish('finished');
          })
          .catch((e: unknown) => finish(toEngineError(e).message));
      }, CAP_SETTLE_MS);
    }
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
    if (open() === 0) settle();
    function finish(outcome: string): void {
      clearInterval(timer);
      unsubscribe();
      resolve(outcome);
    }
  });
}

/** How long a run that seems to have stopped at a cap looks again before it says so. */
const CAP_SETTLE_MS = 300;

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
