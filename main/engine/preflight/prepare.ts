// Makes any image a user has acceptable to APIMart: the right format, upright, under the byte
// limit, without private metadata — doing no work that is not needed (a compliant file is used
// byte for byte; metadata alone is removed, and a JPEG turned upright, without re-encoding).
// Callers bound concurrency: the queue runs prepare with its own setting (default 2), the CLI
// through util/limit.ts.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { EngineFailure, engineError } from '../../contract/errors.ts';
import { CONTENT_TYPES, type UploadFormat } from '../../contract/image-files.ts';
import type { ImageFacts } from '../../contract/schemas.ts';
import { fitAnimation } from './pipeline/animation.ts';
import { cacheKey, mayHoldSourceOfSize, readCached, writeCached } from './cache/entries.ts';
import { FORMAT_LABELS, detectFormat, type SourceFormat } from './decoders/detect.ts';
import {
  INPUT_OPTIONS,
  decodeFailure,
  metadataChanges,
  planFor,
  readInfo,
  type Plan,
} from './pipeline/inspect.ts';
import { parseJpeg, readJpegHeader } from './decoders/jpeg-segments.ts';
import { uprightJpeg } from './jpeg-lossless/transform.ts';
import { neededMemory, sharedMemoryGate, type MemoryGate } from './pipeline/memory-budget.ts';
import {
  containerIsWhole,
  markUprightInPlace,
  rewriteJpegMetadata,
  rewriteMetadata,
} from './metadata/rewrite.ts';
import { buildReport, type Change } from './pipeline/report.ts';
import { fileSha256, ioFailure, readSource, type SourceFile } from './pipeline/source.ts';
import { prepareStill } from './pipeline/still.ts';
import type { PreflightOptions, PreflightSettings, PreparedImage } from './pipeline/types.ts';

export type { PreflightOptions, PreparedImage } from './pipeline/types.ts';
export { MAX_INPUT_PIXELS } from './pipeline/inspect.ts';

export const DEFAULT_MAX_BYTES = 20_971_520;

interface Outcome {
  /** The prepared bytes (in memory or in a file); undefined when the source passes through. */
  bytes: Uint8Array | { path: string; length: number } | undefined;
  format: UploadFormat;
  width: number;
  height: number;
  changes: Change[];
}

/** Decodes `bytes` scaled down: that still reads every coded block, so damage shows, cheaply. */
async function scaledDecode(bytes: Uint8Array): Promise<void> {
  await sharp(bytes, INPUT_OPTIONS).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
}

async function verifyDecodes(bytes: Uint8Array, name: string, label: string): Promise<void> {
  await scaledDecode(bytes).catch((error: unknown) => {
    throw decodeFailure(error, name, label);
  });
}

/**
 * The cheap paths: a file whose only problem (if any) is metadata passes through untouched or
 * loses metadata chunks without re-encoding. Undefined when real work is needed.
 */
async function withoutReencoding(
  source: SourceFile,
  format: SourceFormat,
  plan: Plan,
  settings: PreflightSettings,
): Promise<Outcome | undefined> {
  const { width, height } = plan.info;
  const needsWork = plan.orientation > 1 || plan.resize || plan.oversize || plan.conversions.length;
  if (needsWork || !source.bytes) return undefined;
  if (format === 'gif' || plan.animated) {
    if (!containerIsWhole(format as UploadFormat, source.bytes)) {
      throw decodeFailure(new Error('truncated'), source.name, plan.label);
    }
    return { bytes: undefined, format: format as UploadFormat, width, height, changes: [] };
  }
  const container = format as 'jpeg' | 'png' | 'webp';
  const rewrite = rewriteMetadata(container, source.bytes, settings.metadata);
  if (!rewrite) return undefined; // a damaged container: let the decoder say what is wrong
  if (!rewrite.removedGps && !rewrite.removedMetadata) {
    return { bytes: undefined, format: container, width, height, changes: [] };
  }
  await verifyDecodes(rewrite.bytes, source.name, plan.label);
  const changes = metadataChanges(plan.info, settings.metadata);
  if (changes.length === 0) {
    changes.push({ tag: 'metadata removed', detail: 'removed comments and data after the image' });
  }
  changes.push({ tag: '', detail: 'pixels untouched: metadata removed without re-encoding' });
  return { bytes: rewrite.bytes, format: container, width, height, changes };
}

/**
 * A JPEG whose only fault, metadata aside, is its orientation turns upright by moving its DCT
 * blocks instead of re-encoding. Undefined when that cannot be done perfectly (see uprightJpeg)
 * or its result would not fit or decode: the re-encoding path takes over.
 */
async function turnedLosslessly(
  source: SourceFile,
  format: SourceFormat,
  plan: Plan,
  settings: PreflightSettings,
): Promise<Outcome | undefined> {
  const onlyTurned =
    format === 'jpeg' && plan.orientation > 1 && !plan.resize && plan.conversions.length === 0;
  if (!onlyTurned || !source.bytes) return undefined; // bytes are absent when over the limit
  const turned = await uprightJpeg(source.bytes, plan.orientation);
  const structure = turned && parseJpeg(turned);
  if (!turned || !structure) return undefined;
  markUprightInPlace(turned, structure);
  const { bytes } = rewriteJpegMetadata(turned, structure, settings.metadata);
  const decodes = await scaledDecode(bytes).then(
    () => true,
    () => false,
  );
  if (bytes.length > settings.maxBytes || !decodes) return undefined;
  const { width, height } = plan.upright;
  const changes = [...plan.changes, ...metadataChanges(plan.info, settings.metadata)];
  changes.push({ tag: '', detail: 'pixels untouched: turned upright without re-encoding' });
  return { bytes, format: 'jpeg', width, height, changes };
}

type Fresh = Outcome & { before: { width: number; height: number } };

/** Reads the header, then works once the memory the work needs is free (see pipeline/memory-budget.ts). */
async function prepareFresh(
  source: SourceFile,
  format: SourceFormat,
  settings: PreflightSettings,
  signal: AbortSignal | undefined,
  ready: Promise<void>,
  file: string,
  gate: MemoryGate,
): Promise<Fresh> {
  const info = await readInfo(source, format);
  const plan = planFor(source, format, info, settings);
  const jpeg = format === 'jpeg' ? readJpegHeader(source.head) : undefined;
  const facts = { format, plan, held: source.bytes?.length ?? 0, jpeg };
  const need = neededMemory(source.name, facts, gate);
  return gate.run(need, () => work(source, format, plan, settings, signal, ready, file), signal);
}

async function work(
  source: SourceFile,
  format: SourceFormat,
  plan: Plan,
  settings: PreflightSettings,
  signal: AbortSignal | undefined,
  ready: Promise<void>,
  file: string,
): Promise<Fresh> {
  const { info } = plan;
  const before = { width: info.width, height: info.height };
  const cheap =
    (await withoutReencoding(source, format, plan, settings)) ??
    (await turnedLosslessly(source, format, plan, settings));
  if (cheap) return { ...cheap, before };
  if (plan.animated) {
    await ready;
    const result = await fitAnimation({
      input: source.bytes ?? source.path,
      sourceFormat: format as 'gif' | 'webp',
      width: plan.upright.width,
      height: plan.upright.height,
      targetWidth: plan.target.width,
      targetHeight: plan.target.height,
      maxBytes: settings.maxBytes,
      mode: settings.animatedGif,
      inputOptions: INPUT_OPTIONS,
      signal,
    }).catch((error: unknown) => {
      throw decodeFailure(error, source.name, plan.label);
    });
    const changes = [...plan.changes, ...result.changes, ...metadataChanges(info, 'strip')];
    return { ...result, before, changes };
  }
  const still = await prepareStill(source, format, plan, settings, signal, ready, file);
  return { ...still, before };
}

/** A decoder's vague complaint about a file whose container visibly stops short, said plainly. */
function explainTruncation(error: unknown, source: SourceFile, format: SourceFormat): unknown {
  const cut =
    error instanceof EngineFailure &&
    error.error.code === 'corrupt' &&
    source.bytes !== undefined &&
    (format === 'jpeg' || format === 'png' || format === 'webp' || format === 'gif') &&
    !containerIsWhole(format, source.bytes);
  if (!cut) return error;
  const message = `${source.name} is damaged: its ${FORMAT_LABELS[format]} data ends early, as if the file was cut short.`;
  return new EngineFailure(engineError('corrupt', message, { detail: error.error.detail }));
}

function noop(): void {}

async function outputSha256(
  bytes: Outcome['bytes'],
  name: string,
  sourceSha256: string,
): Promise<string> {
  if (!bytes) return sourceSha256;
  if (bytes instanceof Uint8Array) return createHash('sha256').update(bytes).digest('hex');
  return fileSha256(bytes.path, name);
}

function normalise(options: PreflightOptions): PreflightSettings {
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
  options: PreflightOptions & { cacheDir: string; signal?: AbortSignal; memory?: MemoryGate },
): Promise<PreparedImage> {
  const { cacheDir, signal } = options;
  const gate = options.memory ?? sharedMemoryGate();
  const settings = normalise(options);
  const name = basename(sourcePath);
  const source = await readSource(sourcePath, name, settings.maxBytes, signal);
  const format = detectFormat(source.head, name, source.size);
  const lookup = source.sha256.then(async (sourceSha256) => {
    const key = cacheKey(sourceSha256, source.size, { ...settings });
    return { sourceSha256, key, cached: await readCached(cacheDir, key, sourcePath) };
  });
  if (source.bytes) {
    const { cached } = await lookup; // hashed already: the cache answers before any work
    if (cached) return cached;
  }
  // A large file is still being hashed: its preparation starts meanwhile (header, sampled
  // crops). If the cache holds a source of its size, nothing is decoded in full until the cache
  // has answered, and a hit stops it there; if it holds none, the answer can only be no.
  const ready = mayHoldSourceOfSize(cacheDir, source.size).then(async (may) => {
    if (may && (await lookup).cached) throw new Error('prepared already: the cache has this file');
  });
  ready.catch(() => undefined);
  // A re-encode is written into the cache folder as it is made, then renamed into place.
  const scratch = join(cacheDir, `${randomUUID()}.tmp`);
  await mkdir(cacheDir, { recursive: true }).catch((error: unknown) => {
    throw ioFailure(error, 'The preflight cache folder', 'written');
  });
  try {
    const fresh = prepareFresh(source, format, settings, signal, ready, scratch, gate).catch(
      (error: unknown) => {
        throw explainTruncation(error, source, format);
      },
    );
    const settled = () => fresh.then(noop, noop);
    const found = await lookup.catch(async (error: unknown) => {
      await settled();
      throw error;
    });
    if (found.cached) {
      await settled();
      return found.cached;
    }
    return await store(source, format, await fresh, found, sourcePath, cacheDir, signal);
  } finally {
    await rm(scratch, { force: true });
  }
}

/** The report and cache entry for a fresh outcome. */
async function store(
  source: SourceFile,
  format: SourceFormat,
  outcome: Outcome & { before: { width: number; height: number } },
  { sourceSha256, key }: { sourceSha256: string; key: string },
  sourcePath: string,
  cacheDir: string,
  signal: AbortSignal | undefined,
): Promise<PreparedImage> {
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
  const report = buildReport(before, after, outcome.changes, outcome.bytes === undefined);
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
      sha256: await outputSha256(outcome.bytes, source.name, sourceSha256),
      sourceSha256,
      passthrough: outcome.bytes === undefined,
      report,
    },
    outcome.bytes,
  );
}
