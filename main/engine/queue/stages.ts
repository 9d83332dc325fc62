// The work of each stage of a job's life, one function per stage. Each reads the job, does its
// one step (prepare, upload, submit, poll, download) and records the result through the jobs
// store; failures are thrown as EngineErrors for the scheduler to judge (retry, pause or fail).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fail, toEngineError } from '../../contract/errors.ts';
import type { ModelInfo } from '../../contract/model-info.ts';
import { fromMicros } from '../../contract/money.ts';
import type { JobProgress, ResultFile, Settings } from '../../contract/schemas.ts';
import { generationRequest, isFileChanged, type ApimartClient } from '../apimart/client.ts';
import type { KeyHonour } from '../apimart/key-support.ts';
import { resendVerdict } from '../jobs/decide.ts';
import type { UploadCache } from '../apimart/upload-cache.ts';
import type { prepareImage } from '../preflight/prepare.ts';
import { outputDirFor, renderName } from '../results/output-names.ts';
import { checkOutputFolder, placeResults } from '../results/place-results.ts';
import type { Lifecycle } from '../jobs/lifecycle.ts';
import { checkSpendBeforePaying, type SpendService } from '../money/spend.ts';
import type { JobRecord, JobsStore, Submission } from '../store/jobs-store.ts';
import type { ResultFiles } from '../store/result-files.ts';

/** An upload URL is reused only while this much of its 72 h validity is left. */
const UPLOAD_SAFETY_MARGIN_MS = 6 * 3600_000;

export interface StageContext {
  store: JobsStore;
  /** Every move a job makes is one of these. */
  life: Lifecycle;
  resultFiles: ResultFiles;
  client: () => ApimartClient;
  baseUrl: () => string;
  /** Whether APIMart, where requests go now, has shown it honours idempotency keys. */
  keys: () => KeyHonour;
  /** The entry a recipe is judged by: the model's live schema, else the built-in table's. */
  model: (id: string) => ModelInfo | undefined;
  settings: () => Settings;
  uploadCache: UploadCache;
  /** The shortest wait between two polls of one task. */
  minPollMs: number;
  prepare: typeof prepareImage;
  cacheDir: string;
  version: string;
  /** The spending caps, the known balance, and what each task cost. */
  spend: SpendService;
  /** A job changed durably: tell the hosts. */
  changed: (job: JobRecord) => void;
  /** A job made progress within its stage (not durable; throttled by the bus). */
  progress: (job: JobRecord, progress: JobProgress) => void;
  /** Where results go when their output folder cannot be written. */
  recoveryDir: string;
  /** Pauses the whole queue (used when results had to go to the recovery folder). */
  pauseQueue: (reason: 'disk', message: string) => void;
}

export async function runPrepare(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<void> {
  const started = Date.now();
  const settings = ctx.settings();
  const prepared = await ctx.prepare(job.source, {
    metadata: settings.metadata,
    ...(settings.maxDimension && { maxDimension: settings.maxDimension }),
    ...(job.timings.shrinkTo && { maxBytes: job.timings.shrinkTo }),
    cacheDir: ctx.cacheDir,
    signal,
  });
  const twin = job.forced
    ? undefined
    : ctx.store.findSameContent(job.id, prepared.sourceSha256, job.recipeKey);
  if (twin) {
    fail(
      'duplicate',
      `The same image is already in the queue with this recipe (${basename(twin.source)}). Retry this job to make it again anyway.`,
    );
  }
  const next = ctx.life.prepared(job, {
    sourceHash: prepared.sourceSha256,
    prepared: {
      path: prepared.path,
      bytes: prepared.bytes,
      format: prepared.format,
      contentType: prepared.contentType,
      width: prepared.width,
      height: prepared.height,
      sha256: prepared.sha256,
    },
    report: prepared.report,
    ms: Date.now() - started,
  });
  ctx.changed(next);
}

export async function runUpload(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<void> {
  const prepared = job.prepared;
  if (!prepared || !existsSync(prepared.path)) {
    // The prepared file is gone (cache cleared, or an older run): prepare again, cheaply.
    ctx.changed(ctx.life.prepareAgain(job));
    return;
  }
  const baseUrl = ctx.baseUrl();
  const record =
    ctx.uploadCache.lookup(prepared.sha256, baseUrl) ??
    (await ctx
      .client()
      .upload(
        {
          path: prepared.path,
          filename: basename(prepared.path),
          contentType: prepared.contentType,
          // The person's own file, passed through unchanged, may have changed since its check
          // (GenQueue's cached outputs, named by their hash, are not re-hashed: ~14 ms per 19 MB).
          ...(prepared.path === job.source && { sha256: prepared.sha256 }),
        },
        {
          signal,
          onProgress: (sent, total) =>
            ctx.progress(job, {
              bytesSent: sent,
              bytesTotal: total,
              fraction: total ? sent / total : 0,
            }),
        },
      )
      .catch((thrown: unknown) => checkAgain(ctx, job, thrown)));
  if (!record) return;
  ctx.uploadCache.remember(prepared.sha256, baseUrl, record);
  ctx.changed(ctx.life.uploaded(job, record));
}

/** How many times a job is prepared again because its file changed after the check. */
const MAX_RECHECKS = 2;

/**
 * The upload found the file changed since it was checked: the job goes back to preparing, from
 * the new bytes, up to MAX_RECHECKS times; a file that keeps changing fails it. Else rethrows.
 */
function checkAgain(ctx: StageContext, job: JobRecord, thrown: unknown): undefined {
  if (!isFileChanged(thrown)) throw thrown;
  const rechecks = (job.timings.rechecks ?? 0) + 1;
  if (rechecks > MAX_RECHECKS) {
    fail(
      'io',
      `${basename(job.source)} kept changing after GenQueue checked it, so it was not uploaded. Retry the job once the file stays the same.`,
    );
  }
  const timings = { ...job.timings, rechecks };
  ctx.changed(ctx.life.prepareAgain(job, timings));
  return undefined;
}

/**
 * Never pay twice: "submit intended" is durable before the POST, with the request's key and bytes,
 * and the task id the moment it returns. An answer lost in between (or a crash) is sent again
 * under the same key, so APIMart hands back the task it made instead of making another.
 * Nor pay for results with nowhere to go: the output folder must take their names first.
 */
export async function runSubmit(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<void> {
  // An intent whose outcome is unknown is sent again as it was; anything else is a new intent.
  const pending = job.submission && !job.taskId ? job.submission : undefined;
  if (pending?.lostAt !== undefined) {
    const verdict = resendVerdict(job, ctx.keys(), Date.now());
    if (verdict) {
      ctx.changed(ctx.life.decided(job, verdict));
      return;
    }
  }
  if (
    !pending &&
    (!job.uploadUrl || (job.uploadExpiresAt ?? 0) - UPLOAD_SAFETY_MARGIN_MS < Date.now())
  ) {
    ctx.changed(ctx.life.uploadAgain(job));
    return;
  }
  await checkOutputBeforePaying(ctx, job);
  await checkSpendBeforePaying(ctx, job);
  const intended = ctx.life.submitIntended(
    job,
    pending ?? newSubmission(job, job.uploadUrl!, ctx.model(job.recipe.model)),
  );
  ctx.changed(intended);
  const { key, body } = intended.submission!;
  const created = await ctx.client().createTask({ key, body }, { signal });
  ctx.changed(ctx.life.taskCreated(intended, created, resultsWanted(job)));
}

/** A new intent: a fresh Idempotency-Key and the request's bytes, kept to be sent again as they are. */
function newSubmission(job: JobRecord, uploadUrl: string, info: ModelInfo | undefined): Submission {
  const body = generationRequest(job.recipe, [uploadUrl], info);
  return { key: randomUUID(), body, madeAt: Date.now(), sends: 0, path: [] };
}

/** One poll. Returns the delay before the next one, or undefined when the task has finished. */
export async function runPoll(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<number | undefined> {
  if (!job.taskId) fail('internal', `Job ${job.id} is running without a task id.`);
  const state = await ctx.client().getTask(job.taskId, { signal });
  await ctx.spend.taskFinished(job, state); // what it cost, once per task, when it has ended
  if (state.status === 'completed') {
    const images = state.images.slice(0, resultsWanted(job));
    ctx.changed(ctx.life.generated(job, images, state.images.length));
    return undefined;
  }
  if (state.status === 'failed' || state.status === 'cancelled') {
    const error = state.error ?? {
      code: 'task_failed' as const,
      message: `APIMart reports the generation ${state.status}.`,
      retryable: false,
    };
    ctx.changed(ctx.life.failed(job, error));
    return undefined;
  }
  const progress = state.progress ?? job.taskProgress ?? 0;
  if (progress !== job.taskProgress || state.estimatedSeconds !== job.taskEta) {
    ctx.changed(ctx.life.progressed(job, progress, state.estimatedSeconds));
  }
  return nextPollDelay(ctx.minPollMs, state.estimatedSeconds, progress, job.timings.submittedAt);
}

/**
 * Follows the service's estimate while there is one (half the time it says is left), else backs
 * off with the task's age; never faster than minMs, never slower than 30 s.
 */
export function nextPollDelay(
  minMs: number,
  estimatedSeconds: number | undefined,
  progress: number,
  submittedAt?: number,
): number {
  const remaining = estimatedSeconds ? estimatedSeconds * 1000 * (1 - progress / 100) : 0;
  const elapsed = submittedAt ? Date.now() - submittedAt : 0;
  const wanted = remaining > 0 ? remaining / 2 : elapsed / 4;
  return Math.round(Math.min(30_000, Math.max(minMs, wanted)));
}

export async function runDownload(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<void> {
  const wanted = outputFolder(ctx, job);
  let results: ResultFile[];
  try {
    results = await downloadAll(ctx, job, wanted, signal);
  } catch (thrown) {
    const why = diskTrouble(thrown);
    if (!why) throw thrown;
    // The output folder is gone, read-only or full: keep the paid results in the recovery folder
    // and pause, saying where they are. If even that fails, the job waits for the person.
    try {
      results = await downloadAll(ctx, job, { dir: ctx.recoveryDir, own: true }, signal);
    } catch {
      fail(
        'io',
        `GenQueue cannot write the results of ${basename(job.source)} anywhere (${why}). Free some space or fix the folder, then resume.`,
        {
          pause: 'disk',
        },
      );
    }
    ctx.pauseQueue(
      'disk',
      `The output folder ${wanted.dir} cannot be written (${why}). Results are kept in ${ctx.recoveryDir} until you fix it and resume.`,
    );
  }
  ctx.changed(ctx.life.downloaded(job, results));
}

/**
 * How many results a task of this job may bring: the recipe's n, which the model's schema (or the
 * built-in catalogue) accepted before the job was queued.
 */
function resultsWanted(job: JobRecord): number {
  return job.recipe.n ?? 1;
}

/** Where the job's results go, and whether GenQueue named that folder itself (genqueue-output). */
function outputFolder(ctx: StageContext, job: JobRecord): { dir: string; own: boolean } {
  const settings = ctx.settings();
  const chosen = job.recipe.outDir ?? settings.outputDir;
  return { dir: outputDirFor(job.source, chosen), own: chosen === undefined };
}

/** The template's name for a result of this job, once its extension is known. */
function resultName(ctx: StageContext, job: JobRecord, index: number, ext: string): string {
  return renderName(ctx.settings().namingTemplate, {
    source: job.source,
    model: job.recipe.model,
    index,
    ext,
    taskId: job.taskId ?? 'task',
  });
}

/**
 * Before the generation is paid for, its results must have somewhere to go: the output folder can
 * be made and written, and it takes names as long as the longest its results can get.
 */
async function checkOutputBeforePaying(ctx: StageContext, job: JobRecord): Promise<void> {
  const { dir, own } = outputFolder(ctx, job);
  const longest = resultName(ctx, job, resultsWanted(job), 'webp');
  try {
    await checkOutputFolder(dir, { own, longestName: longest });
  } catch (thrown) {
    const why = diskTrouble(thrown);
    if (!why) throw thrown;
    fail(
      'io',
      `The output folder ${dir} cannot be written (${why}). GenQueue pays for no more images until you fix it and resume.`,
      { pause: 'disk' },
    );
  }
}

const DISK_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a file is in the way of the folder',
  ENOENT: 'the folder is gone',
};

/** Why a failed write is the folder's or the disk's fault (not the network's), or undefined. */
function diskTrouble(thrown: unknown): string | undefined {
  const code = (thrown as NodeJS.ErrnoException).code;
  if (code && code in DISK_ERRORS) return DISK_ERRORS[code];
  const error = toEngineError(thrown);
  return error.code === 'io' && error.pause !== 'disk'
    ? error.message.replace(/\.$/, '')
    : undefined;
}

/** Downloads every result image of `job` into `folder`, each with its sidecar. */
async function downloadAll(
  ctx: StageContext,
  job: JobRecord,
  folder: { dir: string; own: boolean },
  signal: AbortSignal,
): Promise<ResultFile[]> {
  await checkOutputFolder(folder.dir, { own: folder.own });
  const images = job.resultImages ?? [];
  const taskId = job.taskId ?? 'unknown';
  const listed = job.timings.resultsListed ?? images.length;
  const ignored =
    listed > images.length
      ? [
          `APIMart listed ${listed} images for a recipe asking for ${resultsWanted(job)}; GenQueue kept the first ${images.length}.`,
        ]
      : [];
  return placeResults(job.id, taskId, images, {
    files: ctx.resultFiles,
    download: (url, part, options) => ctx.client().download(url, part, options),
    dir: folder.dir,
    nameFor: (index, ext) => resultName(ctx, job, index, ext),
    sidecarFor: (index) => ({
      generator: 'GenQueue',
      version: ctx.version,
      job: job.id,
      source: job.source,
      sourceSha256: job.sourceHash,
      taskId,
      index,
      model: job.recipe.model,
      prompt: job.recipe.prompt,
      recipe: job.recipe,
      simulated: job.simulated,
      ...(job.costMicros != null && { cost: { usd: fromMicros(job.costMicros) } }),
      preflight: job.report,
      ...(ignored.length > 0 && { ignored }),
      ...(job.submission && {
        submission: {
          idempotencyKey: job.submission.key,
          sends: job.submission.sends,
          path: job.submission.path,
        },
      }),
      timings: job.timings,
      createdAt: new Date().toISOString(),
    }),
    signal,
  });
}
