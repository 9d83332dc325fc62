// The finished results as the Results view asks for them: a query (filters, search, sort, group)
// the engine answers page by page from SQLite, the choices its filter menus offer, a full-size
// image bounded in size for the compare, and an export that copies results into a picked folder.
import { z } from 'zod';
import type { JobView } from './schemas.ts';

export const ResultSortSchema = z.enum(['newest', 'oldest', 'name', 'prompt', 'model']);
export type ResultSort = z.infer<typeof ResultSortSchema>;
export const ResultGroupBySchema = z.enum(['none', 'batch', 'prompt']);
export type ResultGroupBy = z.infer<typeof ResultGroupBySchema>;

export const ResultQuerySchema = z.strictObject({
  /** Matches the source's file name or the prompt, ignoring case. */
  search: z.string().max(500).optional(),
  /** A batch: the moment its jobs were queued together (ResultItem.batch). */
  batch: z.number().int().min(0).optional(),
  prompt: z.string().max(20_000).optional(),
  model: z.string().max(200).optional(),
  /** A watched folder's id: results of the files it took. */
  folder: z.string().max(100).optional(),
  /** Finished at or after this moment (ms since the epoch). */
  since: z.number().int().min(0).optional(),
  sort: ResultSortSchema.optional(),
  group: ResultGroupBySchema.optional(),
});
export type ResultQuery = z.infer<typeof ResultQuerySchema>;

/** A finished job as a result tile shows it: the job, when it finished, and its batch. */
export type ResultItem = JobView & { finishedAt: number; batch: number };

/** A run of consecutive results sharing a batch or a prompt, in list order. */
export interface ResultGroup {
  key: string;
  count: number;
}

export interface ResultPage {
  results: ResultItem[];
  total: number;
  /** Empty when the query does not group. */
  groups: ResultGroup[];
}

export interface FacetCount<T> {
  value: T;
  count: number;
}

/** What the filter menus offer, with how many results each would show. */
export interface ResultFacets {
  total: number;
  batches: FacetCount<number>[];
  prompts: FacetCount<string>[];
  models: FacetCount<string>[];
  folders: (FacetCount<string> & { path: string })[];
}

export interface FullImage {
  dataUrl: string;
  /** The pixels of the data URL (smaller than the file's when it had to be scaled down). */
  width: number;
  height: number;
}

export interface ExportReport {
  /** Result images copied (each with its sidecar when it had one). */
  copied: number;
  /** Copies that took another name because theirs was taken in the folder. */
  renamed: number;
  /** Results that could not be copied, each with why. */
  failed: { path: string; reason: string }[];
}

export const ResultIdsSchema = z.strictObject({ query: ResultQuerySchema.optional() });
export const ResultListSchema = ResultIdsSchema.extend({
  offset: z.int().min(0).optional(),
  limit: z.int().min(1).max(1000).optional(),
});
export const FullImageSchema = z.strictObject({
  id: z.string().min(1).max(100),
  which: z.enum(['source', 'result']),
  index: z.int().min(0).max(100).optional(),
});
export const ExportSchema = z.strictObject({
  ids: z.array(z.string().min(1).max(100)).min(1).max(100_000),
  folder: z.string().min(1).max(4096),
});
