// Polls every running task from one timer wheel: as often as APIMart's estimate suggests, waiting
// out what cannot be the task's fault (the network, rate limits, 5xx: the task is paid for),
// counting replies that make no sense, and giving up after the deadline. Giving up fails the job
// in words that say Retry asks about the same task again, never paying for a new one.
import { engineError, toEngineError, type EngineError } from '../../contract/errors.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import { attemptBudget, backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { NetMonitor } from './net-monitor.ts';
import type { PauseState } from './pause-state.ts';
import { createPollWheel } from './poll-wheel.ts';
import type { RateGovernor } from './rate-governor.ts';
import { runPoll, type StageContext } from './stages.ts';
import { spoken } from '../util/spoken.ts';

export interface TaskPollerOptions {
  ctx: StageContext;
  governor: RateGovernor;
  net: NetMonitor;
  pause: PauseState;
  backoff: BackoffPolicy;
  /** How long a task may stay unfinished before GenQueue stops asking. */
  deadlineMs: number;
  /** Whether polls are held back now (stopped, paused, inside a Retry-After window). */
  blocked: () => boolean;
  /** Polls were held back: look again once the queue can go on. */
  wake: () => void;
  /** A poll ended, whatever it found. */
  settled: () => void;
  /** Registers work that stop() must wait for. */
  track: (work: Promise<void>) => void;
}

export type TaskPoller = ReturnType<typeof createTaskPoller>;

export function createTaskPoller(options: TaskPollerOptions) {
  const { ctx, governor, pause } = options;
  const polling = new Set<string>();
  const aborts = new Set<AbortController>();
  /** Replies in a row that said nothing usable about a running task, per job (reset by a good one). */
  const failures = new Map<string, number>();
  let closed = false;
  const wheel = createPollWheel((ids) => {
    for (const id of ids) options.track(poll(id));
  });

  async function poll(id: string): Promise<void> {
    if (closed) return;
    const job = ctx.store.get(id);
    if (!job || job.stage !== 'running') return;
    if (options.blocked()) return options.wake();
    polling.add(id);
    let epoch = pause.epoch;
    try {
      await governor.waitTurn();
      if (options.blocked()) return;
      epoch = pause.epoch;
      const delay = await pollOnce(job);
      governor.onSuccess();
      failures.delete(id);
      if (delay !== undefined) next(job, delay);
    } catch (thrown) {
      if (closed) return;
      const error = toEngineError(thrown);
      if (error.code === 'network') options.net.suspect();
      if (!pause.pauseFor(error, epoch)) judge(job, error);
    } finally {
      polling.delete(id);
      options.settled();
    }
  }

  async function pollOnce(job: JobRecord): Promise<number | undefined> {
    const controller = new AbortController();
    aborts.add(controller);
    try {
      return await runPoll(ctx, job, controller.signal);
    } finally {
      aborts.delete(controller);
    }
  }

  /** The task is still at work: ask again after `delay`, or stop asking past the deadline. */
  function next(job: JobRecord, delay: number): void {
    const since = job.timings.pollResumedAt ?? job.timings.submittedAt ?? job.createdAt;
    if (Date.now() - since > options.deadlineMs) {
      const late = `APIMart has been working on task ${job.taskId} for over ${spoken(options.deadlineMs)} without finishing.`;
      stopAsking(
        ctx.store.require(job.id),
        engineError('server', late),
        'GenQueue stopped asking;',
      );
    } else {
      // The next poll comes no later than just after the deadline, which it then judges.
      wheel.schedule(job.id, Math.min(Date.now() + delay, since + options.deadlineMs + 1));
    }
  }

  /**
   * A poll that failed. The task is paid for, so an unreachable or struggling service and rate
   * limits are waited out however long they last; replies that make no sense are asked again up to
   * their budget, then the job fails saying so, and Retry asks again about the same task.
   */
  function judge(job: JobRecord, error: EngineError): void {
    if (error.code === 'rate_limited') governor.onRateLimited(error.retryAfterMs);
    const count = (failures.get(job.id) ?? 0) + 1;
    const waitsOut = ['network', 'rate_limited', 'server'].includes(error.code);
    if (waitsOut || (error.retryable && count < attemptBudget(error.code))) {
      failures.set(job.id, count);
      const at = Date.now() + backoffDelay(count, options.backoff);
      wheel.schedule(job.id, Math.max(at, governor.blockedUntil()));
      return;
    }
    failures.delete(job.id);
    if (error.retryable) {
      stopAsking(job, error, `GenQueue asked about task ${job.taskId} ${count} times and stopped;`);
    } else {
      ctx.changed(ctx.life.failed(job, error));
    }
  }

  /** Fails a job whose task may still finish; its Retry asks about the same task again. */
  function stopAsking(job: JobRecord, error: EngineError, why: string): void {
    const message = `${error.message} ${why} Retry asks again, without paying for a new image.`;
    ctx.changed(ctx.life.stoppedAsking(job, { ...error, message }));
  }

  return {
    /** Running jobs to poll from now on (those already on the wheel or being polled are kept). */
    adopt(jobs: readonly JobRecord[]): void {
      for (const job of jobs) if (!wheel.has(job.id)) wheel.schedule(job.id, Date.now());
    },
    /** Ids being polled this moment. */
    polling: (): ReadonlySet<string> => polling,
    cancel(id: string): void {
      wheel.cancel(id);
      failures.delete(id);
    },
    close(): void {
      closed = true;
      wheel.close();
      for (const controller of aborts) controller.abort();
    },
  };
}
