// The domain shapes every host and the renderer share: recipes, jobs, queue stats, settings.
// Types are inferred from these schemas, never written twice; the engine's store and the
// renderer's views both speak exactly these shapes.
import { z } from 'zod';
import { baseUrlProblem } from './base-url.ts';
import { EngineErrorSchema, PauseReasonSchema } from './errors.ts';

/** A value of a model's own option (quality, background, watermark, …): what a JSON body can carry. */
export const OptionValueSchema = z.union([z.string().max(200), z.number().finite(), z.boolean()]);
export type OptionValue = z.infer<typeof OptionValueSchema>;
/** Body fields a recipe sets through its own keys (or the job itself): never among its options. */
export const RESERVED_FIELDS = [
  'model',
  'prompt',
  'size',
  'resolution',
  'n',
  'image_urls',
  'mask_url',
];

export const RecipeSchema = z.strictObject({
  model: z.string().min(1).max(200),
  prompt: z.string().min(1).max(20_000),
  size: z.string().min(1).max(40).optional(),
  resolution: z.string().min(1).max(20).optional(),
  n: z.int().min(1).max(15).optional(),
  /** The model's other options, by the request body's own names (its schema says which exist). */
  options: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/), OptionValueSchema)
    .refine((options) => Object.keys(options).length <= 32, 'at most 32 options')
    .refine(
      (options) => !RESERVED_FIELDS.some((name) => Object.hasOwn(options, name)),
      `options cannot set ${RESERVED_FIELDS.join(', ')}`,
    )
    .optional(),
  outDir: z.string().min(1).max(4096).optional(),
});
export type Recipe = z.infer<typeof RecipeSchema>;
export const RecipePatchSchema = RecipeSchema.partial();
export type RecipePatch = z.infer<typeof RecipePatchSchema>;

export const JOB_STAGES = [
  'queued',
  'preparing',
  'uploading',
  'submitting',
  'running',
  'downloading',
  'waiting',
  'ambiguous',
  'done',
  'failed',
  'cancelled',
] as const;
export const JobStageSchema = z.enum(JOB_STAGES);
export type JobStage = z.infer<typeof JobStageSchema>;

export const ImageFactsSchema = z.object({
  format: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
});
export type ImageFacts = z.infer<typeof ImageFactsSchema>;

export const PreflightReportSchema = z.object({
  before: ImageFactsSchema,
  after: ImageFactsSchema,
  changes: z.array(z.string()),
  summary: z.string(),
});
export type PreflightReport = z.infer<typeof PreflightReportSchema>;

export const JobProgressSchema = z.object({
  /** 0–1 within the current stage, when known. */
  fraction: z.number().min(0).max(1).optional(),
  bytesSent: z.number().optional(),
  bytesTotal: z.number().optional(),
  /** The service's own percentage while running. */
  percent: z.number().optional(),
  etaSeconds: z.number().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const ResultFileSchema = z.object({
  path: z.string(),
  sidecar: z.string(),
  bytes: z.number(),
  format: z.string(),
  width: z.number(),
  height: z.number(),
});
export type ResultFile = z.infer<typeof ResultFileSchema>;

/** Why a job waits at a spending cap instead of being paid for (DESIGN.md §3), in a sentence. */
export const CapHoldSchema = z.object({
  /** Which cap: this run's --max-spend, today's, a watched folder's, or a price not known yet. */
  scope: z.enum(['run', 'day', 'folder', 'price']),
  /** The cap in USD (absent while waiting for a first price with no cap reached). */
  capUsd: z.number().optional(),
  reason: z.string(),
});
export type CapHold = z.infer<typeof CapHoldSchema>;

export const JobViewSchema = z.object({
  id: z.string(),
  source: z.string(),
  name: z.string(),
  recipe: RecipeSchema,
  stage: JobStageSchema,
  progress: JobProgressSchema,
  attempts: z.number(),
  nextAttemptAt: z.number().optional(),
  error: EngineErrorSchema.optional(),
  taskId: z.string().optional(),
  /** How the task was asked for when it was not straightforward ("answer lost; resent with the same key; …"). */
  submissionPath: z.array(z.string()).optional(),
  report: PreflightReportSchema.optional(),
  results: z.array(ResultFileSchema),
  simulated: z.boolean(),
  /** Paused on its own (the rest of the queue carries on). */
  held: z.boolean(),
  /** Held at a spending cap (then `held` too): released when the cap allows it. */
  capHold: CapHoldSchema.optional(),
  /** What the job's latest task cost, in USD, when known. */
  cost: z.number().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type JobView = z.infer<typeof JobViewSchema>;

export const JobFilterSchema = z.enum(['all', 'active', 'failed', 'done', 'ambiguous']);
export type JobFilter = z.infer<typeof JobFilterSchema>;

export const QueueStatsSchema = z.object({
  counts: z.record(JobStageSchema, z.number()),
  total: z.number(),
  paused: PauseReasonSchema.nullable(),
  pauseMessage: z.string().optional(),
});
export type QueueStats = z.infer<typeof QueueStatsSchema>;

export const NetStatusSchema = z.object({
  state: z.enum(['online', 'offline']),
  since: z.number(),
  nextProbeAt: z.number().optional(),
});
export type NetStatus = z.infer<typeof NetStatusSchema>;

export const ConcurrencySchema = z.strictObject({
  prepare: z.int().min(1).max(16),
  upload: z.int().min(1).max(32),
  running: z.int().min(1).max(256),
  download: z.int().min(1).max(32),
});

/** A price entered in Settings: USD per result image of `model` (at `resolution`, or any). */
export const PriceOverrideSchema = z.strictObject({
  model: z.string().min(1).max(200),
  resolution: z.string().min(1).max(20).optional(),
  usd: z.number().min(0).max(1000),
});
export type PriceOverride = z.infer<typeof PriceOverrideSchema>;

export const SettingsSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }).superRefine((url, ctx) => {
    const problem = baseUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  defaultRecipe: RecipeSchema.omit({ outDir: true }),
  outputDir: z.string().max(4096).optional(),
  namingTemplate: z.string().min(1).max(200),
  concurrency: ConcurrencySchema,
  metadata: z.enum(['strip', 'keep', 'keep-with-gps']),
  maxDimension: z.int().min(64).max(65_535).optional(),
  theme: z.enum(['system', 'light', 'dark']),
  /** The most GenQueue spends in a day (USD), over every batch and folder; null or absent: no cap. */
  spendCapPerDay: z.number().positive().max(1_000_000).nullable().optional(),
  /** Prices the person entered; they override what GenQueue learned. */
  prices: z.array(PriceOverrideSchema).max(500).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial().extend({
  concurrency: ConcurrencySchema.partial().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  baseUrl: 'https://api.apimart.ai',
  defaultRecipe: { model: 'gemini-3-pro-image-preview', prompt: 'Make it a watercolour painting' },
  namingTemplate: '{name}-{model}-{index}.{ext}',
  concurrency: { prepare: 2, upload: 4, running: 32, download: 4 },
  metadata: 'strip',
  theme: 'system',
};

export const KeyStatusSchema = z.object({
  state: z.enum(['set', 'not-set', 'simulator']),
  /** Where the key lives: the OS keychain through safeStorage, an env variable, or nowhere. */
  backend: z.string(),
  /** True when the OS secret backend only obfuscates (Linux `basic_text`). */
  weakBackend: z.boolean(),
});
export type KeyStatus = z.infer<typeof KeyStatusSchema>;

export const BalanceSchema = z.object({
  remaining: z.number().nullable(),
  used: z.number().nullable(),
  unlimited: z.boolean(),
});
export type Balance = z.infer<typeof BalanceSchema>;
