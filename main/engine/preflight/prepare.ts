// Makes any image a user has acceptable to APIMart: the right format, upright, under the byte
// limit, without private metadata — doing no work that is not needed (a compliant file is used
// byte for byte; metadata alone is removed without re-encoding). Callers bound concurrency: the
// queue runs prepare with its own setting (default 2), the CLI through createLimiter.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { EngineFailure, engineError, fail } from '../../contract/errors.ts';
import type { ImageFacts } from '../../contract/schemas.ts';
import { fitAnimation } from './animation.ts';
import { cacheKey, readCached, writeCached } from './cache.ts';
import { FORMAT_LABELS, detectFormat, type SourceFormat } from './detect.ts';
import {
  DEFAULT_QUALITY,
  WEBP_MAX_SIDE,
  encodeToFit,
  pngWorstBytes,
  type PixelSource,
  type StillFormat,
} from './encode.ts';
import { exifHasGps } from './exif.ts';
import { decodeHeic, megapixels } from './heic.ts';
import { readJpegHeader, xmpHasGps } from './jpeg.ts';
import { rewriteMetadata } from './metadata.ts';
import { buildReport, type Change } from './report.ts';
import { readSource, type SourceFile } from './source.ts';
import {
  CONTENT_TYPES,
  type PreflightOptions,
  type PreparedImage,
  type UploadFormat,
} from './types.ts';

export type { PreflightOptions, PreparedImage } from './types.ts';

export const DEFAULT_MAX_BYTES = 20_971_520;
/**
 * The memory ceiling, as a pixel count: sharp's own default (16383 × 16383, about 268 MP).
 * libvips streams most work, but rotation and sampling hold the decoded image (3–4 bytes per
 * pixel), so one prepare stays under about 1 GB; anything larger is refused before decoding.
 */
export const MAX_INPUT_PIXELS = 268_402_689;

const INPUT_OPTIONS: SharpOptions = { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS };
const LOSSLESS_SOURCES = new Set<SourceFormat>(['png', 'tiff', 'gif', 'svg', 'bmp']);

interface Settings {
  metadata: PreflightOptions['metadata'];
  maxDimension: number | undefined;
  maxBytes: number;
  animatedGif: 'reduce' | 'webp';
}

interface Outcome {
  /** The source's stored size (before orientation). */
  before: { width: number; height: number };
  /** The prepared bytes; undefined when the source passes through. */
  bytes: Uint8Array | undefined;
  format: UploadFormat;
  width: number;
  height: number;
  changes: Change[];
}

/** A decoder's complaint as the one sentence a user sees. */
function decodeFailure(error: unknown, name: string, label: string): EngineFailure {
  if (error instanceof EngineFailure) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) {
    return new EngineFailure(
      engineError('too_many_pixels', `${name} has more pixels than GenQueue can safely decode.`),
    );
  }
  if (/premature|truncat|end of (file|input|data)|unexpected end|short read/i.test(text)) {
    return new EngineFailure(
      engineError(
        'corrupt',
        `${name} is damaged: its ${label} data ends early, as if the file was cut short.`,
        { detail: text },
      ),
    );
  }
  return new EngineFailure(
    engineError(
      'corrupt',
      `${name} is damaged: its ${label} data is corrupt and cannot be decoded.`,
      { detail: text },
    ),
  );
}

function fitWithin(width: number, height: number, maxSide: number | undefined) {
  if (!maxSide || Math.max(width, height) <= maxSide) return { width, height };
  const scale = maxSide / Math.max(width, height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** What the metadata policy takes away from this file, in the report's words. */
function metadataChanges(meta: Metadata, policy: Settings['metadata']): Change[] {
  if (policy === 'keep-with-gps') return [];
  const gps =
    (meta.exif !== undefined && exifHasGps(meta.exif)) ||
    (meta.xmp !== undefined && xmpHasGps(meta.xmp));
  const changes: Change[] = [];
  if (gps) changes.push({ tag: 'GPS removed', detail: 'removed the GPS location' });
  if (policy === 'strip') {
    const kinds = [
      meta.exif && 'EXIF',
      meta.xmp && 'XMP',
      meta.iptc && 'IPTC',
      meta.comments?.length && 'text comments',
    ].filter(Boolean);
    if (kinds.length)
      changes.push({ tag: 'metadata removed', detail: `removed metadata (${kinds.join(', ')})` });
  }
  return changes;
}

/** A re-encoded file carries no metadata over yet: say so whatever the policy. */
function reencodedMetadataChanges(meta: Metadata, policy: Settings['metadata']): Change[] {
  const changes = metadataChanges(meta, 'strip');
  if (policy !== 'strip' && changes.length > 0) {
    changes.push({ tag: '', detail: 're-encoding does not carry metadata over, so none was kept' });
  }
  return changes;
}

async function readMetadata(
  input: Buffer | string,
  name: string,
  label: string,
): Promise<Metadata> {
  try {
    return await sharp(input, { ...INPUT_OPTIONS, limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeFailure(error, name, label);
  }
}

/** True when a file that needs nothing else is at least whole (no decode: pass-through is free). */
function structurallyWhole(format: SourceFormat, bytes: Uint8Array): boolean {
  if (format === 'gif') return bytes[bytes.length - 1] === 0x3b;
  if (format === 'jpeg' || format === 'png' || format === 'webp')
    return rewriteMetadata(format, bytes, 'keep') !== undefined;
  return true;
}

async function pixelSource(
  source: SourceFile,
  format: SourceFormat,
  meta: Metadata,
  signal: AbortSignal | undefined,
): Promise<PixelSource> {
  if (format === 'heic') {
    const pixels = await decodeHeic(
      source.bytes ?? (await readFile(source.path)),
      source.name,
      signal,
    );
    const raw = { width: pixels.width, height: pixels.height, channels: 4 } as const;
    return {
      width: pixels.width,
      height: pixels.height,
      channels: pixels.hasAlpha ? 4 : 3,
      inMemory: true,
      open: () =>
        pixels.hasAlpha ? sharp(pixels.data, { raw }) : sharp(pixels.data, { raw }).removeAlpha(),
    };
  }
  const input = source.bytes ?? source.path;
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    width: rotated ? (meta.height ?? 0) : (meta.width ?? 0),
    height: rotated ? (meta.width ?? 0) : (meta.height ?? 0),
    channels: meta.hasAlpha ? 4 : 3,
    inMemory: false,
    open: () => sharp(input, INPUT_OPTIONS).autoOrient(),
  };
}

async function prepareFresh(
  source: SourceFile,
  format: SourceFormat,
  settings: Settings,
  signal?: AbortSignal,
): Promise<Outcome> {
  const { name } = source;
  const label = FORMAT_LABELS[format];
  if (format === 'bmp')
    fail('unsupported', `${name} is a BMP image, which this version cannot convert yet.`);
  const input = source.bytes ?? source.path;
  const meta = await readMetadata(input, name, label);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_INPUT_PIXELS) {
    fail(
      'too_many_pixels',
      `${name} is ${width} × ${height} (${megapixels(width * height)}); GenQueue prepares images up to ${megapixels(MAX_INPUT_PIXELS)}.`,
    );
  }
  const orientation = format === 'heic' ? 1 : (meta.orientation ?? 1);
  const upright = orientation >= 5 ? { width: height, height: width } : { width, height };
  const target = fitWithin(upright.width, upright.height, settings.maxDimension);
  const resize = target.width !== upright.width;
  const oversize = source.size > settings.maxBytes;
  const animated = format === 'gif' || (format === 'webp' && (meta.pages ?? 1) > 1);
  const conversions: Change[] = [];
  if (!['jpeg', 'png', 'webp', 'gif'].includes(format)) {
    conversions.push({ tag: '', detail: `converted from ${label}, which APIMart does not accept` });
  }
  if (format === 'png' && meta.depth === 'ushort') {
    conversions.push({ tag: '8-bit', detail: 'reduced 16-bit colour to 8-bit' });
  }
  if (meta.space === 'cmyk') {
    const through = meta.icc ? 'its own ICC profile' : 'a standard CMYK profile';
    conversions.push({ tag: 'CMYK → sRGB', detail: `converted CMYK to sRGB through ${through}` });
  }
  const changes: Change[] = [];
  if (orientation > 1)
    changes.push({ tag: 'rotated', detail: `rotated upright (EXIF orientation ${orientation})` });
  if (resize) {
    changes.push({
      tag: 'resized',
      detail: `scaled down to ${target.width}×${target.height} for the maximum dimension of ${settings.maxDimension} pixels`,
    });
  }

  // Nothing but metadata to fix (if that): pass through, or drop chunks without re-encoding.
  if (orientation === 1 && !resize && !oversize && conversions.length === 0 && source.bytes) {
    if (animated) {
      if (!structurallyWhole(format, source.bytes))
        throw decodeFailure(new Error('truncated'), name, label);
      return {
        before: { width, height },
        bytes: undefined,
        format: format as UploadFormat,
        width,
        height,
        changes: [],
      };
    }
    const container = format as 'jpeg' | 'png' | 'webp';
    const rewrite = rewriteMetadata(container, source.bytes, settings.metadata);
    if (rewrite && !rewrite.removedGps && !rewrite.removedMetadata) {
      return {
        before: { width, height },
        bytes: undefined,
        format: container,
        width,
        height,
        changes: [],
      };
    }
    if (rewrite) {
      await verifyDecodes(rewrite.bytes, name, label);
      const removed = metadataChanges(meta, settings.metadata);
      if (removed.length === 0)
        removed.push({ tag: 'metadata removed', detail: 'removed trailing data and comments' });
      removed.push({ tag: '', detail: 'pixels untouched: metadata removed without re-encoding' });
      return {
        before: { width, height },
        bytes: rewrite.bytes,
        format: container,
        width,
        height,
        changes: removed,
      };
    }
  }

  if (animated) {
    const result = await fitAnimation({
      input,
      sourceFormat: format as 'gif' | 'webp',
      width: upright.width,
      height: upright.height,
      targetWidth: target.width,
      targetHeight: target.height,
      maxBytes: settings.maxBytes,
      mode: settings.animatedGif,
      inputOptions: INPUT_OPTIONS,
      signal,
    }).catch((error: unknown) => {
      throw decodeFailure(error, name, label);
    });
    return {
      ...result,
      before: { width, height },
      changes: [
        ...changes,
        ...result.changes,
        ...reencodedMetadataChanges(meta, settings.metadata),
      ],
    };
  }

  const pixels = await pixelSource(source, format, meta, signal);
  const out = chooseFormat(format, pixels.channels, target, settings.maxBytes);
  let { width: outW, height: outH } = target;
  if (out === 'webp' && Math.max(outW, outH) > WEBP_MAX_SIDE) {
    ({ width: outW, height: outH } = fitWithin(outW, outH, WEBP_MAX_SIDE));
    changes.push({
      tag: 'resized',
      detail: `scaled down to ${outW}×${outH}, the largest WebP allows`,
    });
  }
  const sourceQuality = format === 'jpeg' ? readJpegHeader(source.head).quality : undefined;
  const quality = Math.min(DEFAULT_QUALITY, sourceQuality ?? DEFAULT_QUALITY);
  signal?.throwIfAborted();
  const encoded = await encodeToFit({
    source: pixels,
    format: out,
    width: outW,
    height: outH,
    quality,
    maxBytes: settings.maxBytes,
    signal,
  }).catch((error: unknown) => {
    throw decodeFailure(error, name, label);
  });
  if (encoded.bytes.length > settings.maxBytes) {
    fail(
      'too_large',
      `${name} could not be brought under ${settings.maxBytes} bytes (best: ${encoded.bytes.length}).`,
    );
  }
  if (out === 'jpeg' && sourceQuality !== undefined && format === 'jpeg') {
    changes.push({
      tag: '',
      detail: `re-encoded at quality ${encoded.quality} (the source was saved at about ${sourceQuality})`,
    });
  }
  return {
    before: { width, height },
    bytes: encoded.bytes,
    format: out,
    width: encoded.width,
    height: encoded.height,
    changes: [
      ...conversions,
      ...changes,
      ...encoded.changes,
      ...reencodedMetadataChanges(meta, settings.metadata),
    ],
  };
}

/** The upload format for a still: lossless stays lossless while it cannot overflow; alpha never becomes JPEG. */
function chooseFormat(
  format: SourceFormat,
  channels: 3 | 4,
  target: { width: number; height: number },
  maxBytes: number,
): StillFormat {
  if (
    LOSSLESS_SOURCES.has(format) &&
    pngWorstBytes(target.width, target.height, channels) <= maxBytes
  )
    return 'png';
  if (channels === 4 || format === 'webp') return 'webp';
  return 'jpeg';
}

async function verifyDecodes(bytes: Uint8Array, name: string, label: string): Promise<void> {
  try {
    // A scaled decode still reads every coded block, so damage shows, at a fraction of the cost.
    await sharp(bytes, INPUT_OPTIONS).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    throw decodeFailure(error, name, label);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function normalise(options: PreflightOptions): Settings {
  return {
    metadata: options.metadata,
    maxDimension: options.maxDimension,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    animatedGif: options.animatedGif ?? 'reduce',
  };
}

/**
 * Prepares one image for upload (see the module note). Failures throw EngineFailure with code
 * not_image, corrupt, unsupported, too_many_pixels, io or too_large and a sentence naming the file.
 */
export async function prepareImage(
  sourcePath: string,
  options: PreflightOptions & { cacheDir: string; signal?: AbortSignal },
): Promise<PreparedImage> {
  const { cacheDir, signal } = options;
  const settings = normalise(options);
  const name = basename(sourcePath);
  const source = await readSource(sourcePath, name, settings.maxBytes, signal);
  const format = detectFormat(source.head, name, source.size);
  const key = cacheKey(source.sha256, { ...settings });
  const cached = await readCached(cacheDir, key, sourcePath);
  if (cached) return cached;
  const outcome = await prepareFresh(source, format, settings, signal);
  signal?.throwIfAborted();
  const label = FORMAT_LABELS[format];
  const bytes = outcome.bytes?.length ?? source.size;
  const before: ImageFacts = { format: label, ...outcome.before, bytes: source.size };
  const after: ImageFacts = {
    format: FORMAT_LABELS[outcome.format],
    width: outcome.width,
    height: outcome.height,
    bytes,
  };
  const report = buildReport(before, after, outcome.changes);
  return writeCached(
    cacheDir,
    key,
    {
      path: outcome.bytes ? undefined : sourcePath,
      bytes,
      format: outcome.format,
      contentType: CONTENT_TYPES[outcome.format],
      width: outcome.width,
      height: outcome.height,
      sha256: outcome.bytes ? sha256(outcome.bytes) : source.sha256,
      sourceSha256: source.sha256,
      passthrough: outcome.bytes === undefined,
      report,
    },
    outcome.bytes,
  );
}
