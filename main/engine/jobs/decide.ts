// What a job does next when one of its steps failed: DESIGN.md §4's error table as one pure
// function of the job and the error, so every row can be read, and tested, in one place. The
// scheduler carries the decision out (the queue's pause, the rate governor, the store's move).
import { engineError, type EngineError } from '../../contract/errors.ts';
import type { JobStage } from '../../contract/schemas.ts';
import { mayHaveReachedService } from '../apimart/error-model.ts';
import { formatBytes } from '../preflight/pipeline/report.ts';
import {
  attemptBudget,
  backoffDelay,
  SERVER_ERROR_WINDOW_MS,
  type BackoffPolicy,
} from '../queue/backoff.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import { spoken } from '../util/spoken.ts';

export type Decision =
  /** A create may have been paid for and its answer was lost: a person (or policy) decides. */
  | { kind: 'ambiguous'; error: EngineError }
  /** The queue pauses (auth, balance, disk); the job stays at its step, to be tried again. */
  | { kind: 'pause'; error: EngineError; clearIntent: boolean }
  /** Try the step again after `delayMs`; `patch` says what the wait counts against. */
  | {
      kind: 'wait';
      error: EngineError;
      resumeStage: JobStage;
      delayMs: number;
      clearIntent: boolean;
      attempts: number;
      timings: Record<string, number>;
    }
  /** APIMart's size limit was tighter than ours: prepare once more, for `shrinkTo` bytes. */
  | { kind: 'shrink'; shrinkTo: number }
  /** The job has failed for good, with this error. */
  | { kind: 'fail'; error: EngineError; clearIntent: boolean; attempts: number };

/** The timings key (before the stage) of when a step's current run of server errors began. */
export const SERVER_WINDOW = 'serverErrorsSince.';

export interface DecideContext {
  backoff: BackoffPolicy;
  random?: () => number;
  now?: number;
}

const AMBIGUOUS_CREATE =
  'The connection dropped while the task was being created, so it may have been created (and billed). Resubmit it, or cancel it.';

/** The decision for `job`, whose current step failed with `error`. */
export function decide(job: JobRecord, error: EngineError, context: DecideContext): Decision {
  const stage = job.stage;
  const sentSubmit = stage === 'submitting' && job.submitIntendedAt != null;
  if (sentSubmit && mayHaveReachedService(error)) {
    return { kind: 'ambiguous', error: engineError('network', AMBIGUOUS_CREATE) };
  }
  const clearIntent = sentSubmit;
  if (error.pause && error.pause !== 'offline') return { kind: 'pause', error, clearIntent };
  if (error.code === 'network') {
    // Attempts are not spent on the network: wait a little and try again (or wait out the
    // offline pause the net monitor may declare).
    const failures = (job.timings.networkFailures ?? 0) + 1;
    return {
      kind: 'wait',
      error,
      resumeStage: stage,
      delayMs: backoffDelay(failures, context.backoff, context.random),
      clearIntent,
      attempts: job.attempts,
      timings: { ...job.timings, networkFailures: failures },
    };
  }
  if (error.code === 'too_large' && job.prepared) {
    if (stage === 'uploading' && !job.timings.shrinkTo) {
      return { kind: 'shrink', shrinkTo: Math.floor(job.prepared.bytes * 0.75) };
    }
    error = {
      ...error,
      message: `${error.message} GenQueue sent ${formatBytes(job.prepared.bytes)} after shrinking it once; APIMart takes up to 20 MB.`,
    };
  }
  const attempts = job.attempts + 1;
  // Each step has a budget per cause: five server errors do not use up the allowance for a bad
  // reply, and the upload's troubles do not count against the download once the upload is done.
  const cause = `failures.${stage}.${error.code}`;
  const failures = (job.timings[cause] ?? 0) + 1;
  if (error.code === 'server' && error.retryable) {
    return serverError(job, error, context, { cause, failures, attempts, clearIntent });
  }
  if (error.retryable && failures < attemptBudget(error.code)) {
    return {
      kind: 'wait',
      error,
      resumeStage: stage,
      delayMs: error.retryAfterMs ?? backoffDelay(failures, context.backoff, context.random),
      clearIntent,
      attempts,
      timings: { ...job.timings, [cause]: failures },
    };
  }
  return { kind: 'fail', error, clearIntent, attempts };
}

/**
 * A 5xx: waited out with capped backoff for the step's window (30 minutes unless the policy says
 * otherwise), counted from the step's first server error; past it the job fails, saying so.
 */
function serverError(
  job: JobRecord,
  error: EngineError,
  context: DecideContext,
  spent: { cause: string; failures: number; attempts: number; clearIntent: boolean },
): Decision {
  const now = context.now ?? Date.now();
  const key = `${SERVER_WINDOW}${job.stage}`;
  const since = job.timings[key] ?? now;
  const window = context.backoff.serverWindowMs ?? SERVER_ERROR_WINDOW_MS;
  const { cause, failures, attempts, clearIntent } = spent;
  if (now - since < window) {
    return {
      kind: 'wait',
      error,
      resumeStage: job.stage,
      delayMs: error.retryAfterMs ?? backoffDelay(failures, context.backoff, context.random),
      clearIntent,
      attempts,
      timings: { ...job.timings, [cause]: failures, [key]: since },
    };
  }
  const message = `${error.message} APIMart kept answering with server errors for ${spoken(window)} (${failures} tries); Retry tries again.`;
  return { kind: 'fail', error: { ...error, message }, clearIntent, attempts };
}
