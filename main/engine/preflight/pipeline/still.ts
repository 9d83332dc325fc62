// Re-encodes a still image that cannot pass through: decodes it (sharp, or the BMP and HEIC
// decoders), picks the upload format — lossless stays lossless while it cannot overflow, alpha
// never becomes JPEG, a JPEG never goes above its own quality — fits it under the limit, and
// carries kept metadata back in when the user asked to keep it.
import sharp from 'sharp';
import { fail } from '../../../contract/errors.ts';
import { readRegular } from '../../ingest/regular-file.ts';
import { decodeBmp } from '../decoders/bmp.ts';
import { FORMAT_LABELS, type SourceFormat } from '../decoders/detect.ts';
import {
  DEFAULT_QUALITY,
  WEBP_MAX_SIDE,
  encodeToFit,
  pngWorstBytes,
  type Output,
  type PixelSource,
  type StillFormat,
} from './encode.ts';
import { decodeHeic } from '../decoders/heic.ts';
import {
  INPUT_OPTIONS,
  decodeFailure,
  fitWithin,
  metadataChanges,
  type ImageInfo,
  type Plan,
} from './inspect.ts';
import { readJpegHeader } from '../decoders/jpeg-segments.ts';
import { embedMetadata } from '../metadata/embed.ts';
import { formatBytes, type Change } from './report.ts';
import type { SourceFile } from './source.ts';
import type { PreflightSettings } from './types.ts';

const LOSSLESS_SOURCES = new Set<SourceFormat>(['png', 'tiff', 'gif', 'svg', 'bmp']);

export interface StillResult {
  bytes: Output;
  format: StillFormat;
  width: number;
  height: number;
  changes: Change[];
}

async function pixelSource(
  source: SourceFile,
  format: SourceFormat,
  info: ImageInfo,
  signal: AbortSignal | undefined,
  ready: Promise<void>,
): Promise<PixelSource> {
  if (format === 'heic' || format === 'bmp') {
    await ready; // a full decode: only once the cache has answered
    const bytes = source.bytes ?? (await readRegular(source.path));
    if (format === 'bmp') {
      const { data, width, height, channels } = decodeBmp(bytes, source.name);
      const raw = { width, height, channels };
      return { width, height, channels, open: () => sharp(data, { raw }) };
    }
    const { tiff, width, height, hasAlpha } = await decodeHeic(
      bytes,
      source.name,
      info.icc,
      signal,
    );
    return { width, height, channels: hasAlpha ? 4 : 3, open: () => sharp(tiff) };
  }
  const input = source.bytes ?? source.path;
  const rotated = info.orientation >= 5;
  const stored = () => sharp(input, INPUT_OPTIONS);
  return {
    width: rotated ? info.height : info.width,
    height: rotated ? info.width : info.height,
    channels: info.hasAlpha ? 4 : 3,
    open: () => stored().autoOrient(),
    stored: { width: info.width, height: info.height, open: stored },
  };
}

function chooseFormat(
  format: SourceFormat,
  channels: 3 | 4,
  target: { width: number; height: number },
  maxBytes: number,
): StillFormat {
  const pngFits = pngWorstBytes(target.width, target.height, channels) <= maxBytes;
  if (LOSSLESS_SOURCES.has(format) && pngFits) return 'png';
  if (channels === 4 || format === 'webp') return 'webp';
  return 'jpeg';
}

/** The metadata lines of the report for a re-encoded file, after carrying kept metadata over. */
async function carryMetadata(
  bytes: Output,
  format: StillFormat,
  info: ImageInfo,
  settings: PreflightSettings,
): Promise<{ bytes: Output; changes: Change[] }> {
  const policy = settings.metadata;
  if (policy === 'strip' || (!info.exif && !info.xmp)) {
    return { bytes, changes: metadataChanges(info, policy) };
  }
  const changes = metadataChanges(info, policy);
  if (format === 'webp') {
    changes.push({
      tag: 'metadata removed',
      detail: 'metadata could not be kept: GenQueue cannot write it into WebP',
    });
    return { bytes, changes };
  }
  const data = Buffer.isBuffer(bytes) ? bytes : await readRegular(bytes.path);
  const carried = embedMetadata(data, format, info.exif, info.xmp, policy);
  if (carried.bytes.length > settings.maxBytes) return { bytes, changes };
  return carried.carried ? { bytes: carried.bytes, changes } : { bytes, changes };
}

export async function prepareStill(
  source: SourceFile,
  format: SourceFormat,
  plan: Plan,
  settings: PreflightSettings,
  signal: AbortSignal | undefined,
  ready: Promise<void>,
  file: string | undefined,
): Promise<StillResult> {
  const pixels = await pixelSource(source, format, plan.info, signal, ready).catch(
    (error: unknown) => {
      throw decodeFailure(error, source.name, plan.label);
    },
  );
  const out = chooseFormat(format, pixels.channels, plan.target, settings.maxBytes);
  const changes = [...plan.conversions, ...plan.changes];
  if (plan.oversize) {
    const over = `${formatBytes(source.size)} is over the ${formatBytes(settings.maxBytes)} upload limit`;
    changes.push({ tag: '', detail: `re-encoded as ${FORMAT_LABELS[out]}: ${over}` });
  }
  let { width, height } = plan.target;
  if (out === 'webp' && Math.max(width, height) > WEBP_MAX_SIDE) {
    ({ width, height } = fitWithin(width, height, WEBP_MAX_SIDE));
    changes.push({
      tag: 'resized',
      detail: `scaled down to ${width}×${height}, the most WebP allows`,
    });
  }
  // A JPEG re-encoded above its own quality only grows.
  const sourceQuality = format === 'jpeg' ? readJpegHeader(source.head).quality : undefined;
  const quality = Math.min(DEFAULT_QUALITY, sourceQuality ?? DEFAULT_QUALITY);
  signal?.throwIfAborted();
  const encoded = await encodeToFit({
    source: pixels,
    format: out,
    width,
    height,
    quality,
    sizeCeiling:
      format === 'jpeg' && out === 'jpeg' && width === plan.upright.width
        ? source.size * 1.15
        : undefined,
    maxBytes: settings.maxBytes,
    signal,
    ready,
    file,
  }).catch((error: unknown) => {
    throw decodeFailure(error, source.name, plan.label);
  });
  if (encoded.bytes.length > settings.maxBytes) {
    const best = encoded.bytes.length;
    fail(
      'too_large',
      `${source.name} could not be brought under ${settings.maxBytes} bytes (best: ${best}).`,
    );
  }
  if (out === 'jpeg' && sourceQuality !== undefined && encoded.quality === quality) {
    changes.push({
      tag: '',
      detail: `re-encoded at quality ${encoded.quality}; the source was saved at about ${sourceQuality}`,
    });
  }
  const carried = await carryMetadata(encoded.bytes, out, plan.info, settings);
  return {
    bytes: carried.bytes,
    format: out,
    width: encoded.width,
    height: encoded.height,
    changes: [...changes, ...encoded.changes, ...carried.changes],
  };
}
