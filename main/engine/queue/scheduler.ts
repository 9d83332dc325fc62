// Decides what runs next. Each pool (prepare, upload, submit, download) takes ready jobs up to its
// own concurrency; running tasks are polled from one timer wheel. Every failure is judged here by
// its EngineError: pause the queue (offline, auth, balance), wait and retry, or fail the job.
import { engineError, toEngineError, type EngineError } from '../../contract/errors.ts';
import type { PauseReason } from '../../contract/errors.ts';
import type { JobStage, QueueStats } from '../../contract/schemas.ts';
import { isResting } from '../../contract/stages.ts';
import { decide } from '../jobs/decide.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import { attemptBudget, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { NetMonitor } from './net-monitor.ts';
import { createPollWheel } from './poll-wheel.ts';
import type { RateGovernor } from './rate-governor.ts';
import {
  runDownload,
  runPoll,
  runPrepare,
  runSubmit,
  runUpload,
  type StageContext,
} from './stages.ts';

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

export interface Pause {
  reason: PauseReason;
  message: string;
}

export type Scheduler = ReturnType<typeof createScheduler>;

export function createScheduler(options: SchedulerOptions) {
  const { ctx, governor, net } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const taskDeadlineMs = options.taskDeadlineMs ?? TASK_DEADLINE_MS;
  const active = new Map<string, AbortController>();
  const polling = new Set<string>();
  const pollAborts = new Set<AbortController>();
  /** Replies in a row that said nothing usable about a running task, per job (reset by a good one). */
  const pollFailures = new Map<string, number>();
  let pause: Pause | null = null;
  /** Counts resumes and key changes: a refusal sent before the latest cannot pause the queue again. */
  let resumes = 0;
  let stopped = true;
  let wakeTimer: NodeJS.Timeout | undefined;
  let pumpQueued = false;

  const conc = () => ctx.settings().concurrency;
  const pools: Record<string, Pool> = {
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
  const activeIn = new Map<string, Set<string>>(
    Object.keys(pools).map((name) => [name, new Set()]),
  );

  const wheel = createPollWheel((ids) => {
    for (const id of ids) void poll(id);
  });

  function runningCount(): number {
    return ctx.store.counts().running ?? 0;
  }

  function blocked(pool: Pick<Pool, 'remote' | 'newWork'>): boolean {
    if (stopped) return true;
    if (pause && pause.reason !== 'user' && pool.remote) return true;
    if (pause && pool.newWork) return true;
    return pool.remote && governor.blockedUntil() > Date.now();
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
        void runJob(name, pool, job);
      }
    }
    if (!blocked({ remote: true, newWork: false })) {
      for (const job of ctx.store.ready(
        ['running'],
        1000,
        new Set([...active.keys(), ...polling]),
      )) {
        if (!wheel.has(job.id)) wheel.schedule(job.id, Date.now());
      }
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
    let epoch = resumes;
    try {
      job = ctx.life.claim(claimed);
      if (job !== claimed) ctx.changed(job);
      if (pool.remote) await governor.waitTurn(controller.signal);
      // The queue may have paused while this job waited its turn: it stays where it is for later.
      if (blocked(pool)) return;
      epoch = resumes;
      await pool.run(ctx, job, controller.signal);
      if (pool.remote) governor.onSuccess();
    } catch (thrown) {
      if (!controller.signal.aborted) judge(job.id, toEngineError(thrown), epoch);
    } finally {
      active.delete(claimed.id);
      activeIn.get(poolName)!.delete(claimed.id);
      if (!stopped) options.onStats();
      schedulePump();
    }
  }

  async function poll(id: string): Promise<void> {
    if (stopped) return;
    const job = ctx.store.get(id);
    if (!job || job.stage !== 'running') return;
    if (blocked({ remote: true, newWork: false })) return schedulePump();
    polling.add(id);
    let epoch = resumes;
    try {
      await governor.waitTurn();
      if (blocked({ remote: true, newWork: false })) return;
      epoch = resumes;
      const controller = new AbortController();
      pollAborts.add(controller);
      const delay = await runPoll(ctx, job, controller.signal).finally(() =>
        pollAborts.delete(controller),
      );
      governor.onSuccess();
      pollFailures.delete(id);
      if (delay === undefined) return; // the task ended: the job has moved on
      const since = job.timings.pollResumedAt ?? job.timings.submittedAt ?? job.createdAt;
      if (Date.now() - since > taskDeadlineMs) {
        const late = `APIMart has been working on task ${job.taskId} for over ${spoken(taskDeadlineMs)} without finishing.`;
        stopAsking(ctx.store.require(id), engineError('server', late), 'GenQueue stopped asking;');
      } else {
        // The next poll comes no later than just after the deadline, which it then judges.
        wheel.schedule(id, Math.min(Date.now() + delay, since + taskDeadlineMs + 1));
      }
    } catch (thrown) {
      if (stopped) return;
      const error = toEngineError(thrown);
      if (error.code === 'network') net.suspect();
      if (!pauseFor(error, epoch)) judgePoll(job, error);
    } finally {
      polling.delete(id);
      if (!stopped) options.onStats();
      schedulePump();
    }
  }

  /**
   * A poll that failed. The task is paid for, so an unreachable or struggling service and rate
   * limits are waited out however long they last; replies that make no sense are asked again up to
   * their budget, then the job fails saying so, and Retry asks again about the same task.
   */
  function judgePoll(job: JobRecord, error: EngineError): void {
    if (error.code === 'rate_limited') governor.onRateLimited(error.retryAfterMs);
    const failures = (pollFailures.get(job.id) ?? 0) + 1;
    const waitsOut = ['network', 'rate_limited', 'server'].includes(error.code);
    if (waitsOut || (error.retryable && failures < attemptBudget(error.code))) {
      pollFailures.set(job.id, failures);
      const at = Date.now() + backoffDelay(failures, backoff);
      wheel.schedule(job.id, Math.max(at, governor.blockedUntil()));
      return;
    }
    pollFailures.delete(job.id);
    if (error.retryable) {
      stopAsking(
        job,
        error,
        `GenQueue asked about task ${job.taskId} ${failures} times and stopped;`,
      );
    } else {
      ctx.changed(ctx.life.failed(job, error));
    }
  }

  /** Fails a job whose task may still finish; its Retry asks about the same task again. */
  function stopAsking(job: JobRecord, error: EngineError, why: string): void {
    const message = `${error.message} ${why} Retry asks again, without paying for a new image.`;
    ctx.changed(ctx.life.stoppedAsking(job, { ...error, message }));
  }

  /**
   * Pauses the queue when the error says so (auth, balance, disk). A network failure instead asks
   * the net monitor to check at once; the queue pauses only if that check fails too. A refusal to a
   * request sent before the latest resume is old news: the job simply tries again, unpaused.
   */
  function pauseFor(error: EngineError, epoch: number): boolean {
    if (!error.pause || error.pause === 'offline') return false;
    if (epoch === resumes) setPause({ reason: error.pause, message: error.message });
    return true;
  }

  /** Carries out what decide() (DESIGN.md §4's table) says for a job whose step failed. */
  function judge(id: string, error: EngineError, epoch: number): void {
    const job = ctx.store.get(id);
    if (!job || job.stage === 'cancelled') return;
    if (error.code === 'network') net.suspect();
    if (error.code === 'rate_limited') governor.onRateLimited(error.retryAfterMs);
    const decision = decide(job, error, { backoff });
    // A refusal to a request sent before the latest resume is old news: no pause again.
    if (decision.kind === 'pause') pauseFor(decision.error, epoch);
    ctx.changed(ctx.life.decided(job, decision));
  }

  function setPause(next: Pause | null): void {
    if (pause?.reason === next?.reason && pause?.message === next?.message) return;
    if (pause && !next) resumes += 1;
    pause = next;
    options.onStats();
    if (!next) schedulePump();
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
      wheel.close();
      for (const controller of [...active.values(), ...pollAborts]) controller.abort();
      const deadline = Date.now() + 2000;
      while ((active.size > 0 || polling.size > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    wake: schedulePump,
    get pause(): Pause | null {
      return pause;
    },
    setPause,
    /** Resumes after a pause. Offline ends by itself when the probe succeeds. */
    resume(): void {
      setPause(null);
    },
    /** Another key: refusals of requests sent with the old one are old news, and an auth pause ends. */
    keyChanged(): void {
      resumes += 1;
      if (pause?.reason === 'auth') setPause(null);
    },
    cancel(id: string): void {
      active.get(id)?.abort();
      wheel.cancel(id);
      pollFailures.delete(id);
    },
    stats(): QueueStats {
      const counts = ctx.store.counts();
      const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
      return {
        counts: counts as QueueStats['counts'],
        total,
        paused: pause?.reason ?? null,
        ...(pause && { pauseMessage: pause.message }),
      };
    },
    /** True when nothing is left to do now or later (every job finished or needs a person). */
    idle(): boolean {
      const counts = ctx.store.counts();
      return Object.entries(counts).every(([stage, n]) => !n || isResting(stage as JobStage));
    },
  };
}

/** A task unfinished this long is not polled any more; the job fails and Retry asks again. */
const TASK_DEADLINE_MS = 60 * 60_000;

/** A span of time as words: "2 seconds", "1 minute", "60 minutes". */
function spoken(ms: number): string {
  const [n, unit] =
    ms < 60_000 ? [Math.round(ms / 1000), 'second'] : [Math.round(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
