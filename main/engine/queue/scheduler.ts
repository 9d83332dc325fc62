// Decides what runs next. Each pool (prepare, upload, submit, download) takes ready jobs up to its
// own concurrency; running tasks go to the task poller's one timer wheel. A failed step is judged
// by decide() (DESIGN.md §4) and carried out here, beside the queue-wide pause it may set.
import { toEngineError, type EngineError } from '../../contract/errors.ts';
import type { JobStage, QueueStats } from '../../contract/schemas.ts';
import { isResting } from '../../contract/stages.ts';
import { decide } from '../jobs/decide.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { NetMonitor } from './net-monitor.ts';
import { createPauseState, type Pause, type PauseState } from './pause-state.ts';
import type { RateGovernor } from './rate-governor.ts';
import { runDownload, runPrepare, runSubmit, runUpload, type StageContext } from './stages.ts';
import { createTaskPoller } from './task-poller.ts';
import { within } from '../util/within.ts';

export type { Pause } from './pause-state.ts';

interface Pool {
  stages: readonly JobStage[];
  limit: () => number;
  /** Whether the pool talks to APIMart (held back while paused or inside a Retry-After window). */
  remote: boolean;
  /** Whether a user pause holds this pool (new work) or not (paid work already under way). */
  newWork: boolean;
  run: (ctx: StageContext, job: JobRecord, signal: AbortSignal) => Promise<void>;
}

export interface SchedulerOptions {
  ctx: StageContext;
  governor: RateGovernor;
  net: NetMonitor;
  backoff?: BackoffPolicy;
  /** How long a task may stay unfinished before GenQueue stops asking (default an hour). */
  taskDeadlineMs?: number;
  onStats: () => void;
}

export type Scheduler = ReturnType<typeof createScheduler>;

/** The four pools of steps, each with its stages, its concurrency and whether it talks to APIMart. */
function createPools(ctx: StageContext, governor: RateGovernor): Record<string, Pool> {
  const conc = () => ctx.settings().concurrency;
  const runningCount = (): number => ctx.store.counts().running ?? 0;
  return {
    prepare: {
      stages: ['queued', 'preparing'],
      limit: () => conc().prepare,
      remote: false,
      newWork: true,
      run: runPrepare,
    },
    upload: {
      stages: ['uploading'],
      limit: () => governor.limit(conc().upload),
      remote: true,
      newWork: true,
      run: runUpload,
    },
    submit: {
      stages: ['submitting'],
      limit: () => Math.min(governor.limit(conc().upload), conc().running - runningCount()),
      remote: true,
      newWork: true,
      run: runSubmit,
    },
    download: {
      stages: ['downloading'],
      limit: () => conc().download,
      remote: true,
      newWork: false,
      run: runDownload,
    },
  };
}

/** Carries out what decide() (DESIGN.md §4's table) says for a job whose step failed. */
function carryOut(
  on: {
    ctx: StageContext;
    net: NetMonitor;
    governor: RateGovernor;
    backoff: BackoffPolicy;
    pause: PauseState;
  },
  id: string,
  error: EngineError,
  epoch: number,
): void {
  const job = on.ctx.store.get(id);
  if (!job || job.stage === 'cancelled') return;
  if (error.detail === 'held-at-cap') return; // held at a spending cap: that was the decision
  if (error.code === 'network') on.net.suspect();
  if (error.code === 'rate_limited') on.governor.onRateLimited(error.retryAfterMs);
  const decision = decide(job, error, { backoff: on.backoff, keys: on.ctx.keys() });
  // A refusal to a request sent before the latest resume is old news: no pause again.
  if (decision.kind === 'pause') on.pause.pauseFor(decision.error, epoch);
  on.ctx.changed(on.ctx.life.decided(job, decision));
}

function queueStats(ctx: StageContext, pause: Pause | null): QueueStats {
  const counts = ctx.store.counts();
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return {
    counts: counts as QueueStats['counts'],
    total,
    paused: pause?.reason ?? null,
    ...(pause && { pauseMessage: pause.message }),
  };
}

export function createScheduler(options: SchedulerOptions) {
  const { ctx, governor, net } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const active = new Map<string, AbortController>();
  /** Every step and poll under way, which stop() waits for. */
  const work = new Set<Promise<void>>();
  let stopped = true;
  let wakeTimer: NodeJS.Timeout | undefined;
  let pumpQueued = false;
  const pause = createPauseState((resumed) => {
    options.onStats();
    if (resumed) schedulePump();
  });
  const poller = createTaskPoller({
    ctx,
    governor,
    net,
    pause,
    backoff,
    deadlineMs: options.taskDeadlineMs ?? TASK_DEADLINE_MS,
    blocked: () => blocked({ remote: true, newWork: false }),
    wake: schedulePump,
    settled,
    track,
  });

  const pools = createPools(ctx, governor);
  const judge = (id: string, error: EngineError, epoch: number): void =>
    carryOut({ ctx, net, governor, backoff, pause }, id, error, epoch);
  const activeIn = new Map<string, Set<string>>(
    Object.keys(pools).map((name) => [name, new Set()]),
  );

  function blocked(pool: Pick<Pool, 'remote' | 'newWork'>): boolean {
    if (stopped) return true;
    const paused = pause.current;
    // Like the person's pause, an empty balance stops new work only: paid tasks are still fetched.
    const paidWorkGoesOn = paused?.reason === 'user' || paused?.reason === 'balance';
    if (paused && !paidWorkGoesOn && pool.remote) return true;
    if (paused && pool.newWork) return true;
    return pool.remote && governor.blockedUntil() > Date.now();
  }

  function track(step: Promise<void>): void {
    work.add(step);
    void step.finally(() => work.delete(step));
  }

  /** A step or a poll ended, whatever it found: refresh the stats and look for work. */
  function settled(): void {
    if (!stopped) options.onStats();
    schedulePump();
  }

  function schedulePump(): void {
    if (pumpQueued || stopped) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      pump();
    });
  }

  function pump(): void {
    if (stopped) return;
    // One clock reading for the whole pass: a job that was not due for ready() must still count
    // as "later" for armWake, however long the pass took.
    const now = Date.now();
    for (const [name, pool] of Object.entries(pools)) {
      if (blocked(pool)) continue;
      const running = activeIn.get(name)!;
      const free = pool.limit() - running.size;
      for (const job of ctx.store.ready(pool.stages, free, new Set(active.keys()), now)) {
        track(runJob(name, pool, job));
      }
    }
    if (!blocked({ remote: true, newWork: false })) {
      const busy = new Set([...active.keys(), ...poller.polling()]);
      poller.adopt(ctx.store.ready(['running'], 1000, busy));
    }
    armWake(now);
  }

  /** Wakes the pump when the next waiting job or the Retry-After window comes due after `now`. */
  function armWake(now: number): void {
    if (wakeTimer) clearTimeout(wakeTimer);
    const times = [ctx.store.nextWakeAt(now), governor.blockedUntil()].filter(
      (t): t is number => t !== undefined && t > now,
    );
    if (times.length === 0) return;
    wakeTimer = setTimeout(pump, Math.max(0, Math.min(...times) - Date.now()) + 5);
  }

  async function runJob(poolName: string, pool: Pool, claimed: JobRecord): Promise<void> {
    const controller = new AbortController();
    active.set(claimed.id, controller);
    activeIn.get(poolName)!.add(claimed.id);
    let job = claimed;
    let epoch = pause.epoch;
    try {
      job = ctx.life.claim(claimed);
      if (job !== claimed) ctx.changed(job);
      if (pool.remote) await governor.waitTurn(controller.signal);
      // The queue may have paused while this job waited its turn: it stays where it is for later.
      if (blocked(pool)) return;
      epoch = pause.epoch;
      await pool.run(ctx, job, controller.signal);
      if (pool.remote) governor.onSuccess();
    } catch (thrown) {
      if (!controller.signal.aborted) judge(job.id, toEngineError(thrown), epoch);
    } finally {
      active.delete(claimed.id);
      activeIn.get(poolName)!.delete(claimed.id);
      settled();
    }
  }

  return {
    start(): void {
      stopped = false;
      schedulePump();
    },
    /** Stops taking work and aborts what is under way; every job stays at its last durable step. */
    async stop(): Promise<void> {
      stopped = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      poller.close();
      for (const controller of active.values()) controller.abort();
      await within(STOP_LIMIT_MS, Promise.allSettled(work));
    },
    wake: schedulePump,
    get pause(): Pause | null {
      return pause.current;
    },
    setPause: pause.set,
    /** Resumes after a pause. Offline ends by itself when the probe succeeds. */
    resume(): void {
      pause.set(null);
    },
    keyChanged: pause.keyChanged,
    cancel(id: string): void {
      active.get(id)?.abort();
      poller.cancel(id);
    },
    stats: (): QueueStats => queueStats(ctx, pause.current),
    /** True when nothing is left to do now or later (every job finished or needs a person). */
    idle: (): boolean =>
      Object.entries(ctx.store.counts()).every(([stage, n]) => !n || isResting(stage as JobStage)),
  };
}

/** A task unfinished this long is not polled any more; the job fails and Retry asks again. */
const TASK_DEADLINE_MS = 60 * 60_000;

/** How long stop() waits for steps under way to notice they were aborted. */
const STOP_LIMIT_MS = 2000;
