// What a job does next when one of its steps failed: DESIGN.md §4's error table as one pure
// function of the job and the error, so every row can be read, and tested, in one place. The
// scheduler carries the decision out (the queue's pause, the rate governor, the store's move).
import { engineError, type EngineError } from '../../contract/errors.ts';
import type { JobStage } from '../../contract/schemas.ts';
import { idempotencyAnswer, mayHaveReachedService } from '../apimart/error-model.ts';
import type { KeyHonour } from '../apimart/key-support.ts';
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
  /** A create may have been paid for and cannot safely be sent again: a person decides. */
  | { kind: 'ambiguous'; error: EngineError }
  /**
   * A create's outcome is unknown: send the same body under the same key after `delayMs` (APIMart
   * answers with the task it made, if it made one). `note` is added to the job's path.
   */
  | { kind: 'resend'; error: EngineError; delayMs: number; note?: string }
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
  /** Whether APIMart has shown it honours idempotency keys (key-support.ts). */
  keys?: KeyHonour;
  random?: () => number;
  now?: number;
}

/** How long APIMart keeps a request's key, as far as GenQueue assumes (nothing documents it). */
export const KEY_KEPT_MS = 24 * 3600_000;
/** How long a lost answer waits for APIMart to show it honours keys before a person is asked. */
export const PROOF_WAIT_MS = 5 * 60_000;

const ASK = 'so sending it again could pay twice. Resubmit it, or cancel it.';
/** Why a job needs a decision (the `detail` of its error, counted by `status --json`). */
const UNDECIDABLE = {
  'no-key': `The connection dropped while the task was being created, so it may have been created (and billed), and it was sent without an idempotency key, ${ASK}`,
  'keys-ignored': `APIMart's answer was lost while the task was being created, and this server does not honour idempotency keys, ${ASK}`,
  'keys-unproven': `APIMart's answer was lost while the task was being created, and the server has not shown within ${spoken(PROOF_WAIT_MS)} that it honours idempotency keys, ${ASK}`,
  'key-expired': `APIMart's answer was lost more than ${spoken(KEY_KEPT_MS)} ago, longer than APIMart is known to keep a request's key, ${ASK}`,
  indeterminate: `APIMart cannot tell whether this task was created (it says the result is indeterminate), ${ASK}`,
} as const;
export type UndecidableCause = keyof typeof UNDECIDABLE;

function undecidable(cause: UndecidableCause): Decision {
  return {
    kind: 'ambiguous',
    error: engineError('network', UNDECIDABLE[cause], { detail: cause }),
  };
}

/** The decision for `job`, whose current step failed with `error`. */
export function decide(job: JobRecord, error: EngineError, context: DecideContext): Decision {
  const stage = job.stage;
  const sentSubmit = stage === 'submitting' && job.submitIntendedAt != null;
  if (sentSubmit && idempotencyAnswer(error) === 'idempotency_result_indeterminate') {
    return undecidable('indeterminate');
  }
  if (sentSubmit && mayHaveReachedService(error)) return answerLost(job, error, context);
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
 * A create whose answer was lost: resent with the same key once APIMart has shown it honours keys
 * (at once when it has), or left to a person when resending could pay twice.
 */
function answerLost(job: JobRecord, error: EngineError, context: DecideContext): Decision {
  const now = context.now ?? Date.now();
  const lost = job.submission ? { ...job, submission: { ...job.submission, lostAt: now } } : job;
  const verdict = resendVerdict(lost, context.keys ?? 'unknown', now);
  if (verdict?.kind === 'ambiguous') return verdict;
  const sends = job.submission?.sends ?? 1;
  return {
    kind: 'resend',
    error: engineError(
      'network',
      `APIMart's answer to the task's creation was lost (${error.message.replace(/\.$/, '')}); GenQueue sends it again with the same key, so it is paid at most once.`,
    ),
    delayMs: backoffDelay(sends, context.backoff, context.random),
    note: `answer lost (${error.message.replace(/\.$/, '')})`,
  };
}

/**
 * Before a create whose answer was lost is sent again: undefined when it may go (APIMart honours
 * keys and still holds this one), a wait while APIMart has not shown whether it honours keys, or a
 * person's decision when resending could pay twice.
 */
export function resendVerdict(job: JobRecord, keys: KeyHonour, now: number): Decision | undefined {
  const submission = job.submission;
  if (!submission) return undecidable('no-key');
  if (submission.lostAt === undefined) return undefined;
  if (keys === 'ignores') return undecidable('keys-ignored');
  if (now - submission.madeAt > KEY_KEPT_MS) return undecidable('key-expired');
  if (keys === 'honours') return undefined;
  if (now - submission.lostAt > PROOF_WAIT_MS) return undecidable('keys-unproven');
  return {
    kind: 'resend',
    error: engineError(
      'network',
      "APIMart's answer to the task's creation was lost; GenQueue resends it once APIMart shows it honours idempotency keys.",
    ),
    delayMs: 2000,
  };
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
