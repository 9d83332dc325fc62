// Reads what a file is (size, orientation, depth, colour space, metadata) from its header alone
// and decides what must change for APIMart: conversion, rotation, scaling, metadata. Also turns
// a decoder's complaint into the one sentence a user sees.
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { EngineFailure, engineError, fail } from '../../../contract/errors.ts';
import { readBmpHeader } from '../decoders/bmp.ts';
import { FORMAT_LABELS, type SourceFormat } from '../decoders/detect.ts';
import { exifHasGps } from '../metadata/exif.ts';
import { megapixels } from '../decoders/heic.ts';
import { checkHeicLayout, readHeicLayout } from '../decoders/heic-header.ts';
import type { MetadataPolicy } from '../metadata/rewrite.ts';
import type { Change } from './report.ts';
import type { SourceFile } from './source.ts';
import type { PreflightSettings } from './types.ts';
import { xmpHasGps } from '../metadata/xmp.ts';

/**
 * The pixel ceiling: sharp's own default (16383 × 16383, about 268 MP); anything larger is refused
 * before decoding. Memory is bounded separately (memory-budget.ts): turning an image holds it
 * decoded, and a progressive JPEG holds its coefficients, 1.6 GB together at 256 MP.
 */
export const MAX_INPUT_PIXELS = 268_402_689;

/** Every decode: stop on real errors and truncation, refuse bombs before allocating. */
export const INPUT_OPTIONS: SharpOptions = { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS };

export interface ImageInfo {
  width: number;
  height: number;
  orientation: number;
  pages: number;
  hasAlpha: boolean;
  sixteenBit: boolean;
  cmyk: boolean;
  icc: Buffer | undefined;
  exif: Buffer | undefined;
  xmp: Buffer | undefined;
  iptc: Buffer | undefined;
  comments: number;
}

export interface Plan {
  info: ImageInfo;
  label: string;
  /** Orientation still to apply (HEIC's own rotation is applied by its decoder). */
  orientation: number;
  upright: { width: number; height: number };
  target: { width: number; height: number };
  resize: boolean;
  oversize: boolean;
  animated: boolean;
  /** Format changes the upload needs, then rotation and scaling, in report words. */
  conversions: Change[];
  changes: Change[];
}

/** A decoder's complaint as the one sentence a user sees. */
export function decodeFailure(error: unknown, name: string, label: string): EngineFailure {
  if (error instanceof EngineFailure) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) {
    const message = `${name} has more pixels than GenQueue can safely decode.`;
    return new EngineFailure(engineError('too_many_pixels', message));
  }
  const message = /premature|truncat|end of (file|input|data)|unexpected end|short read/i.test(text)
    ? `${name} is damaged: its ${label} data ends early, as if the file was cut short.`
    : `${name} is damaged: its ${label} data is corrupt and cannot be decoded.`;
  return new EngineFailure(engineError('corrupt', message, { detail: text }));
}

export function fitWithin(width: number, height: number, maxSide: number | undefined) {
  if (!maxSide || Math.max(width, height) <= maxSide) return { width, height };
  const scale = maxSide / Math.max(width, height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * The header of a HEIC that libvips would not let libheif read (a grid of more than 256 tiles):
 * judged by GenQueue's own limits from the boxes (refused with a sentence naming the one it
 * exceeds), then read without libvips' limits. A header GenQueue cannot read stays damaged.
 */
async function beyondLibvipsLimits(source: SourceFile, refusal: unknown): Promise<Metadata> {
  const layout = await readHeicLayout(source.bytes, source.path);
  if (!layout) throw decodeFailure(refusal, source.name, FORMAT_LABELS.heic);
  checkHeicLayout(layout, source.name);
  const options = { ...INPUT_OPTIONS, limitInputPixels: false, unlimited: true };
  return sharp(source.bytes ?? source.path, options)
    .metadata()
    .catch((error: unknown) => {
      throw decodeFailure(error, source.name, FORMAT_LABELS.heic);
    });
}

export async function readInfo(source: SourceFile, format: SourceFormat): Promise<ImageInfo> {
  const label = FORMAT_LABELS[format];
  if (format === 'bmp') {
    const header = readBmpHeader(source.head, source.name);
    return {
      ...header,
      orientation: 1,
      pages: 1,
      sixteenBit: false,
      cmyk: false,
      icc: undefined,
      exif: undefined,
      xmp: undefined,
      iptc: undefined,
      comments: 0,
    };
  }
  const input = source.bytes ?? source.path;
  let meta;
  try {
    meta = await sharp(input, { ...INPUT_OPTIONS, limitInputPixels: false }).metadata();
  } catch (error) {
    if (format !== 'heic' || !/security limit/i.test(String(error))) {
      throw decodeFailure(error, source.name, label);
    }
    meta = await beyondLibvipsLimits(source, error);
  }
  return {
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    orientation: format === 'heic' ? 1 : (meta.orientation ?? 1),
    pages: meta.pages ?? 1,
    hasAlpha: meta.hasAlpha ?? false,
    sixteenBit: format === 'png' && meta.depth === 'ushort',
    cmyk: meta.space === 'cmyk',
    icc: meta.icc,
    exif: meta.exif,
    xmp: meta.xmp,
    iptc: meta.iptc,
    comments: meta.comments?.length ?? 0,
  };
}

/** What has to change, decided from the header alone; refuses pixel bombs here. */
export function planFor(
  source: SourceFile,
  format: SourceFormat,
  info: ImageInfo,
  settings: PreflightSettings,
): Plan {
  const { width, height, orientation } = info;
  const label = FORMAT_LABELS[format];
  if (width * height * info.pages > MAX_INPUT_PIXELS) {
    const size = `${width} × ${height}${info.pages > 1 ? ` × ${info.pages} frames` : ''}`;
    const limit = megapixels(MAX_INPUT_PIXELS);
    fail(
      'too_many_pixels',
      `${source.name} is ${size} (${megapixels(width * height * info.pages)}); GenQueue prepares images up to ${limit}.`,
    );
  }
  const upright = orientation >= 5 ? { width: height, height: width } : { width, height };
  const target = fitWithin(upright.width, upright.height, settings.maxDimension);
  const resize = target.width !== upright.width;
  const conversions: Change[] = [];
  if (!['jpeg', 'png', 'webp', 'gif'].includes(format)) {
    conversions.push({ tag: '', detail: `converted from ${label}, which APIMart does not accept` });
  }
  if (info.sixteenBit) conversions.push({ tag: '8-bit', detail: 'reduced 16-bit colour to 8-bit' });
  if (info.cmyk) {
    const through = info.icc ? 'its own ICC profile' : 'a standard CMYK profile';
    conversions.push({ tag: 'CMYK → sRGB', detail: `converted CMYK to sRGB through ${through}` });
  }
  const changes: Change[] = [];
  if (orientation > 1) {
    changes.push({ tag: 'rotated', detail: `rotated upright (EXIF orientation ${orientation})` });
  }
  if (resize) {
    const limit = `the maximum dimension of ${settings.maxDimension} pixels`;
    changes.push({
      tag: 'resized',
      detail: `scaled down to ${target.width}×${target.height} for ${limit}`,
    });
  }
  return {
    info,
    label,
    orientation,
    upright,
    target,
    resize,
    oversize: source.size > settings.maxBytes,
    animated: format === 'gif' || (format === 'webp' && info.pages > 1),
    conversions,
    changes,
  };
}

/** What the metadata policy takes away from this file, in the report's words. */
export function metadataChanges(info: ImageInfo, policy: MetadataPolicy): Change[] {
  if (policy === 'keep-with-gps') return [];
  const gps =
    (info.exif !== undefined && exifHasGps(info.exif)) ||
    (info.xmp !== undefined && xmpHasGps(info.xmp));
  const changes: Change[] = [];
  if (gps) changes.push({ tag: 'GPS removed', detail: 'removed the GPS location' });
  if (policy === 'strip') {
    const kinds = [
      info.exif && 'EXIF',
      info.xmp && 'XMP',
      info.iptc && 'IPTC',
      info.comments > 0 && 'text comments',
    ].filter(Boolean);
    if (kinds.length) {
      changes.push({ tag: 'metadata removed', detail: `removed metadata (${kinds.join(', ')})` });
    }
  }
  return changes;
}
