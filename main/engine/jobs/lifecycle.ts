// A job's life as named moves: each says what happened (prepared, task created, downloaded, …)
// and writes it through the store's one checked transition. These are the store's only callers
// for a job's stage, so every move a job can make is listed here, in the order of its life.
import type { EngineError } from '../../contract/errors.ts';
import type { CapHold, PreflightReport, Recipe, ResultFile } from '../../contract/schemas.ts';
import { FINISHED_STAGES } from '../../contract/stages.ts';
import type { CreatedTask } from '../apimart/client.ts';
import { SERVER_WINDOW, type Decision } from './decide.ts';
import {
  recipeKey,
  type JobRecord,
  type JobsStore,
  type PreparedRef,
  type ResultImageRef,
  type Submission,
} from '../store/jobs-store.ts';

/** The job's timings with `key` stamped now: the job got further, so server-error windows close. */
function stamp(job: JobRecord, key: string, now = Date.now()): Record<string, number> {
  return { ...withoutWindows(job.timings), [key]: now };
}

function withoutWindows(timings: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(timings).filter(([k]) => !k.startsWith(SERVER_WINDOW)));
}

/** What a job queued again starts from: nothing of its last run but its recipe and results. */
/** `path` with `step` added, unless it is already the last step. */
function along(path: readonly string[], step: string): string[] {
  return path.at(-1) === step ? [...path] : [...path, step];
}

const RESENT = 'resent with the same key';

const FRESH = {
  attempts: 0,
  error: null,
  nextAttemptAt: null,
  resumeStage: null,
  taskId: null,
  taskProgress: null,
  submitIntendedAt: null,
  submission: null,
  resultImages: null,
  finishedAt: null,
} as const;

export class Lifecycle {
  readonly #store: JobsStore;

  constructor(store: JobsStore) {
    this.#store = store;
  }

  #move: JobsStore['transition'] = (id, to, patch, now) =>
    this.#store.transition(id, to, patch, now);

  /** A pool takes the job: a waiting job resumes its step, a queued one starts preparing. */
  claim(job: JobRecord): JobRecord {
    const stage =
      job.stage === 'waiting' ? job.resumeStage! : job.stage === 'queued' ? 'preparing' : job.stage;
    return stage === job.stage ? job : this.#move(job.id, stage, { nextAttemptAt: null });
  }

  prepared(
    job: JobRecord,
    done: { sourceHash: string; prepared: PreparedRef; report: PreflightReport; ms: number },
  ): JobRecord {
    return this.#move(job.id, 'uploading', {
      sourceHash: done.sourceHash,
      prepared: done.prepared,
      report: done.report,
      error: null,
      timings: { ...stamp(job, 'preparedAt'), prepareMs: done.ms },
    });
  }

  /** Prepared again: the prepared file is gone, the source changed, or APIMart wants it smaller. */
  prepareAgain(job: JobRecord, timings: Record<string, number> = job.timings): JobRecord {
    return this.#move(job.id, 'preparing', { prepared: null, timings });
  }

  uploaded(job: JobRecord, upload: { url: string; expiresAt: number }): JobRecord {
    return this.#move(job.id, 'submitting', {
      uploadUrl: upload.url,
      uploadExpiresAt: upload.expiresAt,
      error: null,
      timings: stamp(job, 'uploadedAt'),
    });
  }

  /** The upload's link is gone or about to expire: upload again before paying. */
  uploadAgain(job: JobRecord): JobRecord {
    return this.#move(job.id, 'uploading', { uploadUrl: null, uploadExpiresAt: null });
  }

  /**
   * Durable before the generation is requested: a crash after it may have been billed. The
   * submission (its key and body) is written with it; a resend counts another send.
   */
  submitIntended(job: JobRecord, submission: Submission): JobRecord {
    const path = submission.sends > 0 ? along(submission.path, RESENT) : submission.path;
    return this.#move(job.id, 'submitting', {
      submitIntendedAt: Date.now(),
      submission: { ...submission, sends: submission.sends + 1, path },
    });
  }

  /**
   * APIMart answered the generation request: with a task to poll, or (synchronous) with `images`
   * already made, of which the first `wanted` are fetched.
   */
  taskCreated(job: JobRecord, created: CreatedTask, wanted: number): JobRecord {
    const { taskId, replayed, images } = created;
    const submission = job.submission && {
      ...job.submission,
      path: replayed
        ? along(job.submission.path, `APIMart replayed task ${taskId}`)
        : job.submission.path,
    };
    const timings = stamp(job, 'submittedAt');
    if (images) {
      return this.#move(job.id, 'downloading', {
        taskId,
        submission,
        taskProgress: 100,
        error: null,
        resultImages: images.slice(0, wanted),
        timings: { ...timings, generatedAt: timings.submittedAt!, resultsListed: images.length },
      });
    }
    return this.#move(job.id, 'running', {
      taskId,
      submission,
      taskProgress: 0,
      error: null,
      timings,
    });
  }

  progressed(job: JobRecord, progress: number, etaSeconds: number | undefined): JobRecord {
    return this.#move(job.id, 'running', { taskProgress: progress, taskEta: etaSeconds ?? null });
  }

  /** The task finished: its results (at most `images`, of `listed` it named) are to fetch. */
  generated(job: JobRecord, images: ResultImageRef[], listed: number): JobRecord {
    return this.#move(job.id, 'downloading', {
      taskProgress: 100,
      resultImages: images,
      timings: { ...stamp(job, 'generatedAt'), resultsListed: listed },
    });
  }

  downloaded(job: JobRecord, results: ResultFile[]): JobRecord {
    return this.#move(job.id, 'done', {
      results,
      error: null,
      nextAttemptAt: null,
      finishedAt: Date.now(),
      timings: stamp(job, 'doneAt'),
    });
  }

  /** The job ends here, saying why. */
  failed(job: JobRecord, error: EngineError): JobRecord {
    return this.#move(job.id, 'failed', { error, finishedAt: Date.now() });
  }

  /** GenQueue stops asking about a paid task that may still finish; Retry asks again. */
  stoppedAsking(job: JobRecord, error: EngineError): JobRecord {
    return this.#move(job.id, 'failed', {
      error,
      finishedAt: Date.now(),
      timings: stamp(job, 'pollStoppedAt'),
    });
  }

  /** What decide() said for a failed step, written down (the pause itself is the queue's). */
  decided(job: JobRecord, decision: Decision): JobRecord {
    const intent = 'clearIntent' in decision && decision.clearIntent;
    // A refusal ends the intent (the next send is a new request) unless an earlier answer was lost.
    const over = intent && decision.kind !== 'wait' && job.submission?.lostAt === undefined;
    const cleared = intent ? { submitIntendedAt: null, ...(over && { submission: null }) } : {};
    switch (decision.kind) {
      case 'ambiguous':
        return this.#move(job.id, 'ambiguous', { error: decision.error });
      case 'resend':
        return this.#move(job.id, 'waiting', {
          submitIntendedAt: null,
          resumeStage: 'submitting',
          nextAttemptAt: Date.now() + decision.delayMs,
          error: decision.error,
          submission: job.submission && lostAnswer(job.submission, decision.note),
        });
      case 'pause':
        return this.#move(job.id, job.stage, { ...cleared, error: decision.error });
      case 'shrink':
        return this.#move(job.id, 'preparing', {
          prepared: null,
          timings: { ...job.timings, shrinkTo: decision.shrinkTo },
        });
      case 'wait':
        return this.#move(job.id, 'waiting', {
          ...cleared,
          resumeStage: decision.resumeStage,
          attempts: decision.attempts,
          nextAttemptAt: Date.now() + decision.delayMs,
          timings: decision.timings,
          error: decision.error,
        });
      case 'fail':
        return this.#move(job.id, 'failed', {
          ...cleared,
          attempts: decision.attempts,
          error: decision.error,
          finishedAt: Date.now(),
        });
    }
  }

  /**
   * At start: a job caught between "submit intended" and its task id may have been billed. With a
   * key it is resent (same key, same bytes) like any lost answer; without one (a request from an
   * older GenQueue) it waits for a decision. Undefined when the job needs no recovery.
   */
  recover(job: JobRecord, error: EngineError): JobRecord | undefined {
    if (job.stage !== 'submitting' || job.submitIntendedAt == null || job.taskId) return undefined;
    if (!job.submission) return this.#move(job.id, 'ambiguous', { error });
    return this.#move(job.id, 'waiting', {
      submitIntendedAt: null,
      resumeStage: 'submitting',
      nextAttemptAt: Date.now(),
      submission: lostAnswer(
        job.submission,
        'answer lost (GenQueue stopped before APIMart answered)',
      ),
    });
  }

  /** The person decided an ambiguous job: send it again (with its key, if it has one). */
  resubmit(job: JobRecord): JobRecord {
    const submission = job.submission && {
      ...job.submission,
      lostAt: undefined,
      path: along(job.submission.path, 'resubmitted by a person'),
    };
    return this.#move(job.id, 'submitting', { submitIntendedAt: null, error: null, submission });
  }

  /**
   * Retry of a finished job. A result already paid for is fetched again and a task GenQueue
   * stopped asking about is asked about again, unless the recipe now asks for other work;
   * anything else starts over. Undefined when the job is not finished, or when another live job
   * already does the same work (a revived twin would only fail as its duplicate).
   * `insist`: a job the duplicate guard stopped is made anyway (a person asked for this one).
   */
  retry(job: JobRecord, recipe: Recipe, insist: boolean): JobRecord | undefined {
    if (!FINISHED_STAGES.includes(job.stage)) return undefined;
    const twin = this.#store.findSame(job.source, recipe);
    if (twin && twin.id !== job.id && !FINISHED_STAGES.includes(twin.stage)) return undefined;
    const sameWork = recipeKey(recipe) === job.recipeKey;
    const canRedownload =
      sameWork &&
      job.stage === 'failed' &&
      job.resultImages?.length &&
      job.error?.code !== 'expired';
    if (canRedownload) {
      const timings = withoutWindows(job.timings);
      return this.#move(job.id, 'downloading', { recipe, error: null, finishedAt: null, timings });
    }
    if (sameWork && job.taskId && job.timings.pollStoppedAt) {
      // GenQueue stopped asking about a task it paid for: ask again, never pay again.
      const timings: Record<string, number> = stamp(job, 'pollResumedAt');
      delete timings.pollStoppedAt;
      return this.#move(job.id, 'running', { recipe, error: null, finishedAt: null, timings });
    }
    return this.#move(job.id, 'queued', {
      recipe,
      timings: withoutWindows(job.timings),
      ...(insist && job.error?.code === 'duplicate' && { forced: true }),
      ...FRESH,
    });
  }

  /** Cancelled by the person. Undefined when the job had already finished. */
  cancel(job: JobRecord): JobRecord | undefined {
    if (FINISHED_STAGES.includes(job.stage)) return undefined;
    return this.#move(job.id, 'cancelled', { finishedAt: Date.now() });
  }

  /** Held by the person: no pool takes it until it is released. */
  hold(job: JobRecord): JobRecord | undefined {
    if (job.held || FINISHED_STAGES.includes(job.stage)) return undefined;
    return this.#move(job.id, job.stage, { held: true });
  }

  release(job: JobRecord): JobRecord | undefined {
    return job.held ? this.#move(job.id, job.stage, { held: false }) : undefined;
  }

  /** Held at a spending cap (engine/money/): no pool takes it until the cap allows it. */
  heldAtCap(job: JobRecord, hold: CapHold): JobRecord {
    return this.#move(job.id, job.stage, { held: true, capHold: hold });
  }

  /** The cap allows it now (raised, a new day, a new run, a price learned). */
  releasedFromCap(job: JobRecord): JobRecord | undefined {
    return job.capHold ? this.#move(job.id, job.stage, { held: false, capHold: null }) : undefined;
  }

  /** What its task cost (micro-dollars), or null when it could not be learned. */
  costed(job: JobRecord, micros: number | null): JobRecord {
    return this.#move(job.id, job.stage, { costMicros: micros });
  }
}

/** `submission` with its answer lost now (when `note` says how), or as it was (a wait for proof). */
function lostAnswer(submission: Submission, note: string | undefined): Submission {
  return note === undefined
    ? submission
    : { ...submission, lostAt: Date.now(), path: along(submission.path, note) };
}

/** The lifecycle over `store`. */
export function createLifecycle(store: JobsStore): Lifecycle {
  return new Lifecycle(store);
}
