// Watched folders as every host and the renderer see them: the settings a person chooses for a
// folder, and the live view of it (status, counts). Declared once here so the engine's watch
// service, the CLI's `genqueue watch` and the Watched folders screen speak the same shapes.
import { z } from 'zod';
import { RecipePatchSchema } from './schemas.ts';

const Glob = z.string().min(1).max(500);

/** Every field a person can set on a watched folder, none defaulted (the base for add and update). */
const WatchFolderFields = z.strictObject({
  /** Absolute path of the folder to watch. */
  path: z.string().min(1).max(4096),
  /** Recipe for this folder, over the settings' default recipe. */
  recipe: RecipePatchSchema.omit({ outDir: true }).optional(),
  /** Where results go; the settings' output folder when absent. */
  outDir: z.string().min(1).max(4096).optional(),
  /** Watch sub-folders too. */
  recursive: z.boolean(),
  /** Globs a file must match (relative to the folder; a glob without `/` matches the name). Empty: every image. */
  include: z.array(Glob).max(100),
  /** Globs that exclude a file (same rules as include). */
  exclude: z.array(Glob).max(100),
  /** Images already in the folder when it is first watched: queue them, or leave them alone. */
  existing: z.enum(['process', 'ignore']),
  /** After a job is done, leave the original where it is or move it into `done/` beside it. */
  afterSuccess: z.enum(['keep', 'move']),
  /** After a job fails, leave the original or move it into `failed/` with the error in a `.txt`. */
  afterFailure: z.enum(['keep', 'move']),
  /** How long size and mtime must stay unchanged before a file is taken (default 1000 ms). */
  stableMs: z.int().min(50).max(600_000).optional(),
  /** The most this folder's images may cost in a day (USD); null or absent: no cap of its own. */
  maxSpendPerDay: z.number().positive().max(1_000_000).nullable().optional(),
});

export const WatchFolderSettingsSchema = WatchFolderFields.extend({
  recursive: WatchFolderFields.shape.recursive.default(true),
  include: WatchFolderFields.shape.include.default([]),
  exclude: WatchFolderFields.shape.exclude.default([]),
  existing: WatchFolderFields.shape.existing.default('process'),
  afterSuccess: WatchFolderFields.shape.afterSuccess.default('keep'),
  afterFailure: WatchFolderFields.shape.afterFailure.default('keep'),
});
/** Settings as stored and shown (defaults filled in). */
export type WatchFolderSettings = z.output<typeof WatchFolderSettingsSchema>;
/** Settings as a host may send them to `watch.add` (defaulted fields optional). */
export type WatchFolderSettingsInput = z.input<typeof WatchFolderSettingsSchema>;

export const WatchFolderUpdateSchema = WatchFolderFields.partial().extend({
  id: z.string().min(1).max(100),
  enabled: z.boolean().optional(),
});
export type WatchFolderUpdate = z.output<typeof WatchFolderUpdateSchema>;

export const WatchStatusSchema = z.enum(['starting', 'watching', 'error', 'disabled']);
export type WatchStatus = z.infer<typeof WatchStatusSchema>;

export const WatchCountsSchema = z.object({
  /** Jobs this folder queued. */
  queued: z.number(),
  done: z.number(),
  failed: z.number(),
  /** Images not queued: already processed with this recipe (a rename, a copy), or unreadable. */
  skipped: z.number(),
});
export type WatchCounts = z.infer<typeof WatchCountsSchema>;

export const WatchFolderViewSchema = z.object({
  ...WatchFolderFields.shape,
  id: z.string(),
  enabled: z.boolean(),
  status: WatchStatusSchema,
  /** Why the folder is not being watched (status `error`), in a sentence; retried with backoff. */
  error: z.string().optional(),
  counts: WatchCountsSchema,
  /** Files passed over on purpose (links, pipes, never readable), each with why; at most 50. */
  skippedFiles: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** When a file in this folder was last seen (ms since epoch). */
  lastEventAt: z.number().optional(),
});
export type WatchFolderView = z.infer<typeof WatchFolderViewSchema>;
