// Every route between a host (window, CLI, test bridge) and the engine, declared once:
// name → zod input schema → output type. Handlers are typed by a mapped type over this table,
// so a route without a handler, or a handler with the wrong shape, does not compile.
import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import { UPLOAD_CONTENT_TYPES } from './image-files.ts';
import { EstimateInputSchema, type Estimate, type SpendReport } from './money.ts';
import {
  JobFilterSchema,
  RecipePatchSchema,
  SettingsPatchSchema,
  type Balance,
  type JobView,
  type KeyStatus,
  type NetStatus,
  type QueueStats,
  type Settings,
} from './schemas.ts';
import {
  ExportSchema,
  FullImageSchema,
  ResultIdsSchema,
  ResultListSchema,
  type ExportReport,
  type FullImage,
  type ResultFacets,
  type ResultPage,
} from './results.ts';
import {
  WatchFolderSettingsSchema,
  WatchFolderUpdateSchema,
  type WatchFolderView,
} from './watch.ts';
import type { ModelList } from './model-info.ts';

/** A route: its input schema, and (type only) what it returns. */
export interface RouteSpec<I extends z.ZodType, O> {
  input: I;
  output?: O;
}
function route<O>() {
  return <I extends z.ZodType>(input: I): RouteSpec<I, O> => ({ input });
}

const Empty = z.strictObject({});
const JobIds = z.strictObject({ ids: z.array(z.string().min(1).max(100)).min(1).max(100_000) });
const FilePath = z.strictObject({ path: z.string().min(1).max(4096) });

export interface AppInfo {
  version: string;
  home: string;
  simulated: boolean;
  platform: string;
}
export interface EnqueueResult {
  jobIds: string[];
  /** Paths not queued, and why; `jobId` names the job already holding the same work. */
  skipped: { path: string; reason: string; jobId?: string }[];
}
export interface JobPage {
  jobs: JobView[];
  total: number;
}
export interface Count {
  count: number;
}
/** Failed jobs that share a cause ("12 failed: content policy"), for one action on them all. */
export interface FailureGroup {
  /** The group's key: the error code, and for a refusal the service's words. */
  cause: string;
  /** The cause in a few words. */
  label: string;
  code: ErrorCode;
  /** Whether any job's error says trying again may help. */
  retryable: boolean;
  count: number;
  /** The jobs, in queue order (for jobs.retry and jobs.remove). */
  ids: string[];
  /** One job's whole error message. */
  example: string;
}

export const routes = {
  'app.info': route<AppInfo>()(Empty),
  'jobs.enqueue': route<EnqueueResult>()(
    z.strictObject({
      paths: z.array(z.string().min(1).max(4096)).min(1).max(100_000),
      recipe: RecipePatchSchema.optional(),
      force: z.boolean().optional(),
    }),
  ),
  'jobs.list': route<JobPage>()(
    z.strictObject({
      filter: JobFilterSchema.optional(),
      offset: z.int().min(0).optional(),
      limit: z.int().min(1).max(1000).optional(),
    }),
  ),
  'jobs.get': route<JobView[]>()(JobIds),
  'jobs.retry': route<Count>()(JobIds.extend({ recipe: RecipePatchSchema.optional() })),
  'jobs.cancel': route<Count>()(JobIds),
  'jobs.remove': route<Count>()(JobIds),
  'jobs.clearFinished': route<Count>()(Empty),
  /** The failed jobs grouped by cause, largest group first. */
  'jobs.failures': route<FailureGroup[]>()(Empty),
  'jobs.moveToTop': route<Count>()(JobIds),
  /** Pause single jobs: what they are doing now stops, they keep their place, the rest goes on. */
  'jobs.pause': route<Count>()(JobIds),
  'jobs.resume': route<Count>()(JobIds),
  'jobs.thumbnail': route<{ dataUrl: string }>()(
    z.strictObject({
      id: z.string().min(1).max(100),
      which: z.enum(['source', 'result']),
      index: z.int().min(0).max(100).optional(),
    }),
  ),
  /** An image pasted from the clipboard: saved into the inbox folder, then queued. */
  'files.paste': route<EnqueueResult>()(
    z.strictObject({
      dataBase64: z.string().min(1).max(40_000_000),
      mime: z.enum(UPLOAD_CONTENT_TYPES),
      recipe: RecipePatchSchema.optional(),
    }),
  ),
  'queue.stats': route<QueueStats>()(Empty),
  'queue.pause': route<QueueStats>()(Empty),
  'queue.resume': route<QueueStats>()(Empty),
  /** Whether APIMart can be reached now (then `net.status` events): a window opened offline knows. */
  'net.status': route<NetStatus>()(Empty),
  /**
   * The models a recipe may name, each with its options (APIMart's live list and schemas, else the
   * built-in table). `fresh`: when nothing fresh is known, wait a few seconds for APIMart first.
   */
  'models.list': route<ModelList>()(z.strictObject({ fresh: z.boolean().optional() })),
  'settings.get': route<Settings>()(Empty),
  'settings.update': route<Settings>()(SettingsPatchSchema),
  'key.status': route<KeyStatus>()(Empty),
  'key.set': route<KeyStatus>()(z.strictObject({ key: z.string().trim().min(8).max(512) })),
  'key.clear': route<KeyStatus>()(Empty),
  'key.test': route<Balance>()(Empty),
  'key.useSimulator': route<KeyStatus>()(z.strictObject({ enabled: z.boolean() })),
  'files.pick': route<{ paths: string[] }>()(z.strictObject({ kind: z.enum(['files', 'folder']) })),
  'shell.open': route<null>()(FilePath),
  'shell.reveal': route<null>()(FilePath),
  /** Puts a result image (one in the queue) on the system clipboard, where the host has one. */
  'clipboard.copyImage': route<null>()(FilePath),
  /** Finished results for the Results view: filtered, searched, sorted and grouped, a page at a time. */
  'results.list': route<ResultPage>()(ResultListSchema),
  'results.ids': route<string[]>()(ResultIdsSchema),
  'results.facets': route<ResultFacets>()(Empty),
  /** A result or source image for the compare, bounded in size, as a data URL. */
  'results.image': route<FullImage>()(FullImageSchema),
  /** Copies the jobs' results (and sidecars) into a picked folder, never over a file. */
  'results.export': route<ExportReport>()(ExportSchema),
  'watch.list': route<WatchFolderView[]>()(Empty),
  'watch.add': route<WatchFolderView>()(WatchFolderSettingsSchema),
  'watch.update': route<WatchFolderView>()(WatchFolderUpdateSchema),
  'watch.remove': route<null>()(z.strictObject({ id: z.string().min(1).max(100) })),
  /** A watched folder's latest jobs (its recent files), newest first. */
  'watch.recent': route<JobView[]>()(z.strictObject({ id: z.string().min(1).max(100) })),
  /** What images would cost with a recipe ("≈ $0.42 for 20 images"); uploads nothing. */
  'spend.estimate': route<Estimate>()(EstimateInputSchema),
  /** What was spent: per day, model, batch and watched folder; the balance and its history. */
  'spend.report': route<SpendReport>()(Empty),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
/** What a caller sends (fields with defaults may be left out). */
export type RouteInput<K extends RouteName> = z.input<Routes[K]['input']>;
/** What a handler receives: the input after its schema parsed it (defaults filled in). */
export type RouteParams<K extends RouteName> = z.output<Routes[K]['input']>;
export type RouteOutput<K extends RouteName> = Exclude<Routes[K]['output'], undefined>;

export const ROUTE_NAMES = Object.keys(routes) as RouteName[];

export function isRouteName(name: unknown): name is RouteName {
  return typeof name === 'string' && Object.hasOwn(routes, name);
}
