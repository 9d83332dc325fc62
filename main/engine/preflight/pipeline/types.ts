// The shapes preflight hands to the queue, the CLI and its own cache. The cache reads them back
// from disk, so the prepared image also exists as a schema that checks what it reads.
import { z } from 'zod';
import { UPLOAD_FORMATS, type UploadFormat } from '../../../contract/image-files.ts';
import { PreflightReportSchema } from '../../../contract/schemas.ts';
import type { MetadataPolicy } from '../metadata/rewrite.ts';

export interface PreflightOptions {
  /** From Settings: strip everything, keep all but GPS, or keep everything. */
  metadata: MetadataPolicy;
  /** Longest side allowed; larger images are scaled down (never up). */
  maxDimension?: number;
  /** Upload limit in bytes; APIMart's is 20,971,520. */
  maxBytes?: number;
  /** What to do with an animated GIF over the limit: reduce it, or turn it into animated WebP. */
  animatedGif?: 'reduce' | 'webp';
}

export const PreparedImageSchema = z.object({
  path: z.string(),
  bytes: z.number(),
  format: z.enum(UPLOAD_FORMATS),
  contentType: z.string(),
  width: z.number(),
  height: z.number(),
  sha256: z.string(),
  sourceSha256: z.string(),
  passthrough: z.boolean(),
  report: PreflightReportSchema,
});

export interface PreparedImage {
  /** The compliant file: the source itself when it passed through untouched. */
  path: string;
  bytes: number;
  format: UploadFormat;
  contentType: string;
  width: number;
  height: number;
  /** Of the prepared bytes: the upload cache key. */
  sha256: string;
  /** Of the source bytes. */
  sourceSha256: string;
  passthrough: boolean;
  report: z.infer<typeof PreflightReportSchema>;
}

/** PreflightOptions with every default filled in: also what the cache key is made of. */
export interface PreflightSettings {
  metadata: MetadataPolicy;
  maxDimension: number | undefined;
  maxBytes: number;
  animatedGif: 'reduce' | 'webp';
}
