// What a job is, as the store keeps it (a row of the jobs table) and as the window sees it (a
// JobView): the one mapping between the two, and the key that says "the same recipe". Shared by
// the store's writes and its queries.
import { basename } from 'node:path';
import type { EngineError } from '../../contract/errors.ts';
import { fromMicros } from '../../contract/money.ts';
import type {
  CapHold,
  JobStage,
  JobView,
  PreflightReport,
  Recipe,
  ResultFile,
} from '../../contract/schemas.ts';

/** What a job remembers of its prepared image (the preflight output). */
export interface PreparedRef {
  path: string;
  bytes: number;
  format: string;
  contentType: string;
  width: number;
  height: number;
  sha256: string;
}
export interface ResultImageRef {
  url: string;
  expiresAt?: number;
}

/**
 * One submission intent: the Idempotency-Key made for it, the exact body sent under it (a resend of
 * an unknown outcome sends these bytes again), and the path it took, in the user's words.
 */
export interface Submission {
  key: string;
  body: string;
  /** When the key was made: APIMart keeps a key for a limited time. */
  madeAt: number;
  /** How often the body was sent. */
  sends: number;
  /** When an answer was last lost (the outcome is unknown until a resend settles it). */
  lostAt?: number;
  /** What happened, oldest first: "answer lost (…)", "resent with the same key", "APIMart replayed task …". */
  path: string[];
}

export interface JobRecord {
  id: string;
  seq: number;
  source: string;
  sourceHash: string | null;
  recipe: Recipe;
  recipeKey: string;
  stage: JobStage;
  resumeStage: JobStage | null;
  attempts: number;
  nextAttemptAt: number | null;
  prepared: PreparedRef | null;
  report: PreflightReport | null;
  uploadUrl: string | null;
  uploadExpiresAt: number | null;
  submitIntendedAt: number | null;
  submission: Submission | null;
  taskId: string | null;
  taskProgress: number | null;
  taskEta: number | null;
  resultImages: ResultImageRef[] | null;
  results: ResultFile[];
  error: EngineError | null;
  simulated: boolean;
  /** Paused by the user: not taken by any pool until resumed. */
  held: boolean;
  /** Queued with "force": the duplicate guard lets it through. */
  forced: boolean;
  /** Held at a spending cap, and why (with `held`); released when the cap allows it. */
  capHold: CapHold | null;
  /** What the latest task cost, in micro-dollars, when known. */
  costMicros: number | null;
  timings: Record<string, number>;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export type Row = Record<string, unknown>;

function parseJson<T>(value: unknown, fallback: T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : fallback;
}

export function toRecord(row: Row): JobRecord {
  return {
    id: String(row.id),
    seq: Number(row.seq),
    source: String(row.source),
    sourceHash: (row.source_hash as string | null) ?? null,
    recipe: parseJson(row.recipe, {} as Recipe),
    recipeKey: String(row.recipe_key),
    stage: row.stage as JobStage,
    resumeStage: (row.resume_stage as JobStage | null) ?? null,
    attempts: Number(row.attempts),
    nextAttemptAt: (row.next_attempt_at as number | null) ?? null,
    prepared: parseJson(row.prepared, null),
    report: parseJson(row.report, null),
    uploadUrl: (row.upload_url as string | null) ?? null,
    uploadExpiresAt: (row.upload_expires_at as number | null) ?? null,
    submitIntendedAt: (row.submit_intended_at as number | null) ?? null,
    submission: parseJson(row.submission, null),
    taskId: (row.task_id as string | null) ?? null,
    taskProgress: (row.task_progress as number | null) ?? null,
    taskEta: (row.task_eta as number | null) ?? null,
    resultImages: parseJson(row.result_images, null),
    results: parseJson(row.results, []),
    error: parseJson(row.error, null),
    simulated: Number(row.simulated) === 1,
    held: Number(row.held) === 1,
    forced: Number(row.forced) === 1,
    capHold: parseJson(row.cap_hold, null),
    costMicros: row.cost_micros == null ? null : Number(row.cost_micros),
    timings: parseJson(row.timings, {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    finishedAt: (row.finished_at as number | null) ?? null,
  };
}

export function toJobView(job: JobRecord): JobView {
  return {
    id: job.id,
    source: job.source,
    name: basename(job.source),
    recipe: job.recipe,
    stage: job.stage,
    progress: job.taskProgress != null ? { percent: job.taskProgress } : {},
    attempts: job.attempts,
    ...(job.nextAttemptAt != null && { nextAttemptAt: job.nextAttemptAt }),
    ...(job.error && { error: job.error }),
    ...(job.taskId && { taskId: job.taskId }),
    ...(job.submission?.path.length && { submissionPath: job.submission.path }),
    ...(job.report && { report: job.report }),
    results: job.results,
    simulated: job.simulated,
    held: job.held,
    ...(job.held && job.capHold && { capHold: job.capHold }),
    ...(job.costMicros != null && { cost: fromMicros(job.costMicros) }),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** A stable key for "the same recipe": what would make the generation differ. */
export function recipeKey(recipe: Recipe): string {
  const { model, prompt, size, resolution, n, options } = recipe;
  const own = Object.entries(options ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // A recipe without options keeps the key it had before recipes had options.
  const rest = own.length === 0 ? [] : [own];
  return JSON.stringify([model, prompt, size ?? null, resolution ?? null, n ?? 1, ...rest]);
}
