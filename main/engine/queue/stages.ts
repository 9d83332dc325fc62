// The work of each stage of a job's life, one function per stage. Each reads the job, does its
// one step (prepare, upload, submit, poll, download) and records the result through the jobs
// store; failures are thrown as EngineErrors for the scheduler to judge (retry, pause or fail).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { rename } from 'node:fs/promises';
import { fail, toEngineError } from '../../contract/errors.ts';
import type { JobProgress, ResultFile, Settings } from '../../contract/schemas.ts';
import type { ApimartClient } from '../apimart/client.ts';
import type { UploadCache } from '../apimart/upload-cache.ts';
import type { prepareImage } from '../preflight/prepare.ts';
import { claimResultPath, outputDirFor, renderName, sidecarPath } from '../results/output-names.ts';
import { writeSidecar } from '../results/sidecar.ts';
import type { JobRecord, JobsStore } from '../store/jobs-store.ts';

/** An upload URL is reused only while this much of its 72 h validity is left. */
const UPLOAD_SAFETY_MARGIN_MS = 6 * 3600_000;

export interface StageContext {
  store: JobsStore;
  client: () => ApimartClient;
  baseUrl: () => string;
  settings: () => Settings;
  uploadCache: UploadCache;
  /** The shortest wait between two polls of one task. */
  minPollMs: number;
  prepare: typeof prepareImage;
  cacheDir: string;
  version: string;
  /** A job changed durably: tell the hosts. */
  changed: (job: JobRecord) => void;
  /** A job made progress within its stage (not durable; throttled by the bus). */
  progress: (job: JobRecord, progress: JobProgress) => void;
  /** Where results go when their output folder cannot be written. */
  recoveryDir: string;
  /** Pauses the whole queue (used when results had to go to the recovery folder). */
  pauseQueue: (reason: 'disk', message: string) => void;
}

function stamp(job: JobRecord, key: string, now = Date.now()): Record<string, number> {
  return { ...job.timings, [key]: now };
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
  const next = ctx.store.transition(job.id, 'uploading', {
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
    error: null,
    timings: { ...stamp(job, 'preparedAt'), prepareMs: Date.now() - started },
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
    ctx.changed(ctx.store.transition(job.id, 'preparing', { prepared: null }));
    return;
  }
  const baseUrl = ctx.baseUrl();
  const record =
    ctx.uploadCache.lookup(prepared.sha256, baseUrl) ??
    (await ctx.client().upload(
      { path: prepared.path, filename: basename(prepared.path), contentType: prepared.contentType },
      {
        signal,
        onProgress: (sent, total) =>
          ctx.progress(job, {
            bytesSent: sent,
            bytesTotal: total,
            fraction: total ? sent / total : 0,
          }),
      },
    ));
  ctx.uploadCache.remember(prepared.sha256, baseUrl, record);
  const next = ctx.store.transition(job.id, 'submitting', {
    uploadUrl: record.url,
    uploadExpiresAt: record.expiresAt,
    error: null,
    timings: stamp(job, 'uploadedAt'),
  });
  ctx.changed(next);
}

/**
 * Never pay twice: "submit intended" is durable before the POST, the task id the moment it
 * returns. A crash in between leaves the job ambiguous for a person (or policy) to decide.
 */
export async function runSubmit(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<void> {
  if (!job.uploadUrl || (job.uploadExpiresAt ?? 0) - UPLOAD_SAFETY_MARGIN_MS < Date.now()) {
    ctx.changed(
      ctx.store.transition(job.id, 'uploading', { uploadUrl: null, uploadExpiresAt: null }),
    );
    return;
  }
  const intended = ctx.store.transition(job.id, 'submitting', { submitIntendedAt: Date.now() });
  ctx.changed(intended);
  const { taskId } = await ctx
    .client()
    .createTask({ recipe: job.recipe, imageUrls: [job.uploadUrl] }, { signal });
  const next = ctx.store.transition(job.id, 'running', {
    taskId,
    taskProgress: 0,
    error: null,
    timings: stamp(intended, 'submittedAt'),
  });
  ctx.changed(next);
}

/** One poll. Returns the delay before the next one, or undefined when the task has finished. */
export async function runPoll(
  ctx: StageContext,
  job: JobRecord,
  signal: AbortSignal,
): Promise<number | undefined> {
  if (!job.taskId) fail('internal', `Job ${job.id} is running without a task id.`);
  const state = await ctx.client().getTask(job.taskId, { signal });
  if (state.status === 'completed') {
    const next = ctx.store.transition(job.id, 'downloading', {
      taskProgress: 100,
      resultImages: state.images,
      timings: stamp(job, 'generatedAt'),
    });
    ctx.changed(next);
    return undefined;
  }
  if (state.status === 'failed' || state.status === 'cancelled') {
    const error = state.error ?? {
      code: 'task_failed' as const,
      message: `APIMart reports the generation ${state.status}.`,
      retryable: false,
    };
    ctx.changed(ctx.store.transition(job.id, 'failed', { error, finishedAt: Date.now() }));
    return undefined;
  }
  const progress = state.progress ?? job.taskProgress ?? 0;
  if (progress !== job.taskProgress || state.estimatedSeconds !== job.taskEta) {
    const next = ctx.store.transition(job.id, 'running', {
      taskProgress: progress,
      taskEta: state.estimatedSeconds ?? null,
    });
    ctx.changed(next);
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
  const settings = ctx.settings();
  const wanted = outputDirFor(job.source, job.recipe.outDir, settings.outputDir);
  let results: ResultFile[];
  try {
    results = await downloadAll(ctx, job, wanted, signal);
  } catch (thrown) {
    const why = diskTrouble(thrown);
    if (!why) throw thrown;
    // The output folder is gone, read-only or full: keep the paid results in the recovery folder
    // and pause, saying where they are. If even that fails, the job waits for the person.
    try {
      results = await downloadAll(ctx, job, ctx.recoveryDir, signal);
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
      `The output folder ${wanted} cannot be written (${why}). Results are kept in ${ctx.recoveryDir} until you fix it and resume.`,
    );
  }
  const next = ctx.store.transition(job.id, 'done', {
    results,
    error: null,
    nextAttemptAt: null,
    finishedAt: Date.now(),
    timings: stamp(job, 'doneAt'),
  });
  ctx.changed(next);
}

const EXTENSIONS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

function guessExtension(url: string): string {
  const ext = extname(new URL(url, 'http://x').pathname).slice(1).toLowerCase();
  return ext === 'jpeg' ? 'jpg' : Object.values(EXTENSIONS).includes(ext) ? ext : 'png';
}

/** The service decides the result's format: make the file's extension (and its sidecar's) tell the truth. */
async function withRightExtension(path: string, format: string): Promise<string> {
  const ext = EXTENSIONS[format];
  if (!ext || extname(path).slice(1).toLowerCase() === ext) return path;
  const fixed = `${path.slice(0, path.length - extname(path).length)}.${ext}`;
  await rename(path, fixed);
  await rename(sidecarPath(path), sidecarPath(fixed));
  return fixed;
}

/** Removes the temp files a download of `target` left behind when the process died mid-write. */
async function discardPartials(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const dir = dirname(target);
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.part'))
      await rm(join(dir, name), { force: true });
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
  return error.code === 'io' ? error.message.replace(/\.$/, '') : undefined;
}

/** Downloads every result image of `job` into `dir`, each with its sidecar. */
async function downloadAll(
  ctx: StageContext,
  job: JobRecord,
  dir: string,
  signal: AbortSignal,
): Promise<ResultFile[]> {
  const images = job.resultImages ?? [];
  const taskId = job.taskId ?? 'unknown';
  const settings = ctx.settings();
  await mkdir(dir, { recursive: true });
  return Promise.all(
    images.map(async (image, i): Promise<ResultFile> => {
      const index = i + 1;
      const name = renderName(settings.namingTemplate, {
        source: job.source,
        model: job.recipe.model,
        index,
        ext: guessExtension(image.url),
        taskId,
      });
      const target = claimResultPath(dir, name, taskId, index);
      // The sidecar is written first: it claims the name, so a download redone after a crash
      // finds its own place again instead of leaving a second copy beside it.
      await writeSidecar(target, {
        generator: 'GenQueue',
        version: ctx.version,
        source: job.source,
        sourceSha256: job.sourceHash,
        taskId,
        index,
        model: job.recipe.model,
        prompt: job.recipe.prompt,
        recipe: job.recipe,
        simulated: job.simulated,
        preflight: job.report,
        timings: job.timings,
        createdAt: new Date().toISOString(),
      });
      await discardPartials(target);
      const file = await ctx.client().download(image.url, target, {
        signal,
        ...(image.expiresAt && { expiresAt: image.expiresAt }),
      });
      const finalPath = await withRightExtension(file.path, file.format);
      const sidecar = sidecarPath(finalPath);
      return {
        path: finalPath,
        sidecar,
        bytes: file.bytes,
        format: file.format,
        width: file.width,
        height: file.height,
      };
    }),
  );
}
