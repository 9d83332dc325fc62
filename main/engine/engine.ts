// The engine's composition root: opens the store, builds the APIMart client, the scheduler and
// the handlers, and hands a host exactly three things: typed handlers for every route, an event
// subscription, and start/stop. Everything host-specific arrives through EnginePorts.
import { join } from 'node:path';
import { baseUrlProblem } from '../contract/base-url.ts';
import { EngineFailure, engineError, fail } from '../contract/errors.ts';
import type { EventEnvelope } from '../contract/events.ts';
import type { Handlers } from '../contract/dispatch.ts';
import type { ApimartClient, ApimartClientOptions } from './apimart/client.ts';
import { createConnection, type Connection } from './apimart/connection.ts';
import { createKeySupport } from './apimart/key-support.ts';
import { createUploadCache } from './apimart/upload-cache.ts';
import { createEventBus, type EventBus } from './events/event-bus.ts';
import { createHandlers } from './handlers.ts';
import type { DesktopPort, SecretsPort, SettingsPort, SimulatorPort } from './host/ports.ts';
import { preparedCacheDir } from './ingest/prepare-files.ts';
import { prunePreparedCache } from './preflight/cache/prune.ts';
import { prepareImage } from './preflight/prepare.ts';
import { createNetMonitor, type NetMonitor } from './queue/net-monitor.ts';
import { createRateGovernor, type RateGovernor } from './queue/rate-governor.ts';
import { createScheduler, type Scheduler } from './queue/scheduler.ts';
import type { BackoffPolicy } from './queue/backoff.ts';
import { createSettingsService, type SettingsService } from './settings.ts';
import { openOrRecover, type Database } from './store/database.ts';
import { acquireLock } from './store/home-lock.ts';
import { createLifecycle, type Lifecycle } from './jobs/lifecycle.ts';
import { createSpendService } from './money/spend.ts';
import { createJobsStore, toJobView, type JobRecord, type JobsStore } from './store/jobs-store.ts';
import { createResultFiles } from './store/result-files.ts';
import { createResultsQuery } from './store/results-query.ts';
import { createCatalogueCache } from './models/catalogue-cache.ts';
import { createModelCatalogue } from './models/model-catalogue.ts';
import type { WatchProbe, WatchTiming } from './watch/folder-watcher.ts';
import type { TreeWatchBackend } from './watch/tree-watch.ts';
import { createWatchService } from './watch/watch-service.ts';
import { within } from './util/within.ts';

// What hosts use without a running engine, so without its lock: `genqueue prepare` (a preflight
// dry run), and `status` and `jobs`, which read a queue another GenQueue may be processing.
export {
  prepareFiles,
  preparedSummary,
  type PreparedFile,
  type PrepareFilesOptions,
} from './ingest/prepare-files.ts';
export { readQueue, type QueueReader } from './store/queue-reader.ts';

export interface EngineOptions {
  home: string;
  version: string;
  /** Names the holder in the data directory's lock ("genqueue run", "GenQueue app"). */
  command: string;
  settings: SettingsPort;
  secrets: SecretsPort;
  desktop?: DesktopPort;
  /** Starts the host's simulator, used instead of APIMart on request; without it, none is offered. */
  simulator?: SimulatorPort;
  /** Start on the simulator (CLI --simulate). */
  simulate?: boolean;
  /** This run's spending cap in USD (`genqueue run --max-spend`); jobs past it are held. */
  maxSpendUsd?: number;
  /** Overrides the settings' base URL (the CLI's APIMART_BASE_URL). */
  baseUrl?: string;
  /** Retry and poll timing; tests shorten it, products keep the defaults. */
  timing?: {
    minPollMs?: number;
    backoff?: BackoffPolicy;
    http?: ApimartClientOptions['timeouts'];
    probeDelayMs?: number;
    taskDeadlineMs?: number;
  };
  /** Watched folders: tests shorten the timing; the benchmark passes @parcel/watcher to compare. */
  watch?: { timing?: Partial<WatchTiming>; backend?: TreeWatchBackend; probe?: WatchProbe };
}

export interface Engine {
  readonly handlers: Handlers;
  subscribe(listener: (event: EventEnvelope) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every job has finished or needs a person, or the queue pauses. */
  settled(): Promise<'idle' | 'paused'>;
}

/** The longest stop() waits for any one part (the scheduler has its own 2 s limit). */
const STOP_STEP_MS = 2000;

/** Waits for `work`, failed or not, but never longer than STOP_STEP_MS. */
async function stopStep(work: Promise<unknown> | undefined): Promise<void> {
  await within(
    STOP_STEP_MS,
    Promise.resolve(work).catch(() => undefined),
  );
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const refused = options.baseUrl === undefined ? undefined : baseUrlProblem(options.baseUrl);
  if (refused) fail('bad_input', `The base URL ${options.baseUrl} cannot be used: ${refused}.`);
  const release = acquireLock(options.home, options.command);
  try {
    return await assemble(options, release);
  } catch (thrown) {
    release(); // a start that failed leaves the data directory free
    throw thrown;
  }
}

/** Where requests go and with which key; the simulator keeps its state in the home, to resume. */
function connectionFor(
  options: EngineOptions,
  db: Database,
  settings: SettingsService,
  governor: RateGovernor,
): Connection {
  return createConnection({
    keySupport: createKeySupport(db),
    secrets: options.secrets,
    settings,
    governor,
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(options.simulator && {
      simulator: options.simulator.bind(null, { dataDir: join(options.home, 'simulator') }),
    }),
    ...(options.timing?.http && { timeouts: options.timing.http }),
  });
}

/**
 * At start, a job caught between "submit intended" and its task id may have been billed: it is
 * sent again under its key (APIMart hands back the task it made), or, without a key, waits for a
 * decision.
 */
function recoverInterrupted(store: JobsStore, life: Lifecycle): void {
  const interrupted = engineError(
    'network',
    'GenQueue stopped while this task was being created, so it may have been created (and billed), and it was sent without an idempotency key. Resubmit it, or cancel it.',
    { detail: 'no-key' },
  );
  for (const job of store.unfinished()) life.recover(job, interrupted);
}

function hostFacts(options: EngineOptions): { version: string; home: string; platform: string } {
  return { version: options.version, home: options.home, platform: process.platform };
}

/** APIMart's own models and schemas, read in the background and kept in the database. */
function modelsFor(db: Database, link: Connection, bus: EventBus) {
  return createModelCatalogue({
    cache: createCatalogueCache(db),
    client: link.client,
    baseUrl: link.baseUrl,
    changed: () => bus.emit('models.updated', { fetchedAt: Date.now() }),
  });
}

/** Everything the engine is made of, built once it holds the data directory. */
async function assemble(options: EngineOptions, release: () => void): Promise<Engine> {
  const { db, notice } = openOrRecover(join(options.home, 'genqueue.db'));
  /** Said once the host listens (start): a settings file or database that had to be moved aside. */
  const notices = [options.settings.notice, notice].filter((said) => said !== undefined);
  const store = createJobsStore(db);
  const life = createLifecycle(store);
  const bus = createEventBus();
  const settings = createSettingsService(options.settings);
  const governor = createRateGovernor();
  const link = connectionFor(options, db, settings, governor);
  const currentClient = link.client;
  const spend = createSpendService({
    db,
    job: store.get,
    life,
    settings: settings.get,
    readBalance: () => currentClient().balance({}),
    changed: (job) => changed(job),
    wake: () => scheduler.wake(),
    subscribe: bus.subscribe,
    ...(options.maxSpendUsd !== undefined && { runCapUsd: options.maxSpendUsd }),
  });

  const changed = (job: JobRecord): void => {
    spend.jobChanged(job);
    // A progress update still waiting in the throttle is older than this: it must not overtake it.
    bus.discard('job.updated', job.id);
    bus.emit('job.updated', toJobView(job));
    emitStats();
  };
  const emitStats = (): void => bus.emitThrottled('queue.stats', 'all', scheduler.stats());

  const net = watchNetwork(bus, () => scheduler, currentClient, options.timing?.probeDelayMs);

  const models = modelsFor(db, link, bus);

  const cacheDir = preparedCacheDir(options.home);
  let stopTrimming: (() => void) | undefined;

  const scheduler = createScheduler({
    ctx: {
      store,
      life,
      resultFiles: createResultFiles(db),
      client: currentClient,
      baseUrl: link.baseUrl,
      keys: link.keyHonour,
      model: models.lookup,
      settings: settings.get,
      uploadCache: createUploadCache(db),
      spend,
      prepare: prepareImage,
      cacheDir,
      recoveryDir: join(options.home, 'recovered'),
      pauseQueue: (reason, message) => scheduler.setPause({ reason, message }),
      minPollMs: options.timing?.minPollMs ?? 1000,
      version: options.version,
      changed,
      progress: (job, progress) =>
        bus.emitThrottled('job.updated', job.id, { ...toJobView(job), progress }),
    },
    governor,
    net,
    ...(options.timing?.backoff && { backoff: options.timing.backoff }),
    ...(options.timing?.taskDeadlineMs && { taskDeadlineMs: options.timing.taskDeadlineMs }),
    onStats: emitStats,
  });

  async function useSimulator(enabled: boolean): Promise<void> {
    await link.useSimulator(enabled);
    // Called whenever the key in use changes (the simulator's, or the one the user just set).
    scheduler.keyChanged();
    scheduler.wake();
    models.wake();
  }

  const watch = createWatchService({
    db,
    settings: settings.get,
    // The ledger has already decided what is new, so the path+recipe guard is bypassed.
    enqueue: (paths, recipe) => handlers['jobs.enqueue']({ paths, recipe, force: true }),
    subscribe: bus.subscribe,
    emit: bus.emit,
    ...options.watch,
  });

  const handlers = createHandlers({
    store,
    life,
    settings,
    scheduler,
    secrets: link.keys,
    desktop: options.desktop,
    client: currentClient,
    keyStatus: link.keyStatus,
    netStatus: () => net.status,
    useSimulator,
    simulated: link.simulated,
    thumbnailDir: join(options.home, 'cache', 'thumbnails'),
    results: createResultsQuery(db),
    inboxDir: join(options.home, 'inbox'),
    info: () => ({ ...hostFacts(options), simulated: link.simulated() }),
    emit: bus.emit,
    changed,
    watch,
    spend,
    models,
  });

  if (options.simulate) await useSimulator(true);

  let stopping: Promise<void> | undefined;
  /** Once, however often stop() is called; no step waits long on a stuck job or connection. */
  async function shutDown(): Promise<void> {
    stopTrimming?.();
    spend.stop();
    models.stop();
    await stopStep(watch.stop());
    await scheduler.stop();
    net.close();
    bus.flush();
    bus.close();
    for (const closing of link.closing()) await stopStep(closing);
    db.close();
    release();
  }

  return {
    handlers,
    subscribe: (listener) => bus.subscribe(listener),
    async start() {
      for (const message of notices) bus.emit('notice', { level: 'warning', message });
      recoverInterrupted(store, life);
      if (!link.simulated() && !(await link.keys.load())) {
        const message = (await link.keys.problem()) ?? 'No APIMart API key is set.';
        scheduler.setPause({ reason: 'auth', message });
      }
      spend.start();
      scheduler.start();
      stopTrimming = trimPreparedCache(store, cacheDir);
      watch.start();
      models.start();
    },
    stop() {
      stopping ??= shutDown();
      return stopping;
    },
    settled: () => settledOf(scheduler, bus),
  };
}

/** Resolves when every job has finished or needs a person, or the queue pauses (not offline). */
function settledOf(scheduler: Scheduler, bus: EventBus): Promise<'idle' | 'paused'> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      if (scheduler.idle()) resolve('idle');
      else if (scheduler.pause && scheduler.pause.reason !== 'offline') resolve('paused');
      else return false;
      return true;
    };
    if (check()) return;
    const unsubscribe = bus.subscribe((event) => {
      if (event.name === 'queue.stats' && check()) unsubscribe();
    });
  });
}

/** Probes APIMart (its balance route) when a request fails; offline pauses the queue, online resumes it. */
function watchNetwork(
  bus: EventBus,
  scheduler: () => Scheduler,
  client: () => ApimartClient,
  firstDelayMs: number | undefined,
): NetMonitor {
  return createNetMonitor({
    probe: async () => {
      try {
        await client().balance({});
      } catch (thrown) {
        if (thrown instanceof EngineFailure && thrown.error.code === 'network') throw thrown;
      }
    },
    onChange: (status) => {
      bus.emit('net.status', status);
      const queue = scheduler();
      if (status.state === 'online' && queue.pause?.reason === 'offline') queue.resume();
      if (status.state === 'offline') {
        queue.setPause({
          reason: 'offline',
          message: 'APIMart cannot be reached: GenQueue will carry on by itself when it can.',
        });
      }
    },
    ...(firstDelayMs && { firstDelayMs }),
  });
}

/**
 * Keeps the prepared cache within its budget, now and every 30 minutes, sparing what unfinished
 * jobs still need. Returns what stops it.
 */
function trimPreparedCache(store: JobsStore, cacheDir: string): () => void {
  const trim = async (): Promise<void> => {
    const inUse = new Set(store.unfinished().flatMap((job) => job.prepared?.path ?? []));
    await prunePreparedCache(cacheDir, { inUse }).catch(() => undefined);
  };
  void trim();
  const timer = setInterval(() => void trim(), 30 * 60 * 1000).unref();
  return () => clearInterval(timer);
}
