// Encodes a still image under the byte limit in one pass. Images up to about 26 MP could only
// overflow at the starting quality if they were noise, so they stream straight through (noise then
// falls to the prediction); for larger ones a few crops predict the bytes per pixel at each
// quality, and the full image streams through once at the best quality that fits, one notch lower
// only if it still overflows, downscaled below a quality floor. The decoded image is never held:
// crops come from a band decoded off the top of the file.
import sharp, { type Sharp } from 'sharp';
import type { Change } from './report.ts';

export type StillFormat = 'jpeg' | 'png' | 'webp';

/** A fresh sharp pipeline over the whole upright image, as often as needed. */
export interface PixelSource {
  width: number;
  height: number;
  channels: 3 | 4;
  open(): Sharp;
  /**
   * The file as stored (before orientation), for a sequential decoder: crops come from a band off
   * its top, the only part readable without decoding the rest. Absent when `open` reads decoded
   * pixels from memory, where crops anywhere are cheap.
   */
  stored?: { width: number; height: number; open(): Sharp } | undefined;
}

/**
 * Encoded bytes: in memory, or already in the file the request named (written while encoding,
 * so the write costs no time of its own); either way `length` is their size.
 */
export type Output = Buffer | { path: string; length: number };

export interface EncodeRequest {
  source: PixelSource;
  format: StillFormat;
  width: number;
  height: number;
  /** Starting quality for JPEG/WebP: the default, or a JPEG source's own quality if lower. */
  quality: number;
  /**
   * A known ceiling on the output's size at `quality`, when there is one: a JPEG re-encoded at
   * its own quality or lower, at its own size, stays within about 15% of the source's bytes.
   */
  sizeCeiling: number | undefined;
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** Awaited before any full encode: the caller's cache lookup, while crops are sampled. */
  ready?: Promise<void> | undefined;
  /** Where each full encode is written; in memory when absent. */
  file?: string | undefined;
}

export interface Encoded {
  bytes: Output;
  width: number;
  height: number;
  quality: number | undefined;
  changes: Change[];
}

export const DEFAULT_QUALITY = 90;
export const QUALITY_FLOOR = 70;
const STEP = 5;
/** WebP effort 2 is the measured sweet spot between speed and size. */
const WEBP_EFFORT = 2;
export const WEBP_MAX_SIDE = 16383;
/**
 * How far over the limit pure noise (WORST_BPP) may go for an image still to get one pass at its
 * starting quality: photos come nowhere near noise's bytes per pixel (a 24 MP photo at quality 90
 * is 5–16 MB, noise 21 MB), so a 24 MP image skips the prediction, and one as noisy as noise
 * pays one more encode.
 */
const ONE_PASS_SLACK = 1.2;
/** Room for headers and the prediction's own error. */
const SAFETY = 0.9;
/** A 3 × 3 grid of 256-pixel crops over an image in memory: as good a prediction as 448 pixels. */
const GRID = { rows: 3, cols: 3, crop: { width: 256, height: 256 } };
/**
 * Eight crops of the same area across the band off the top of a file, flattened to halve the rows
 * decoded before the full encode can start.
 */
const BAND = { rows: 1, cols: 8, crop: { width: 512, height: 128 } };

// Worst case bytes per pixel (pure noise) measured with these encoder settings, plus 10%.
const WORST_BPP: Record<'jpeg' | 'webp', [number, number][]> = {
  jpeg: [
    [1, 0.2],
    [60, 0.55],
    [70, 0.63],
    [80, 0.75],
    [85, 0.84],
    [90, 0.96],
    [95, 1.18],
    [100, 1.62],
  ],
  webp: [
    [1, 0.5],
    [60, 1.05],
    [70, 1.15],
    [80, 1.4],
    [90, 1.95],
    [100, 3.05],
  ],
};

function worstBpp(format: 'jpeg' | 'webp', quality: number, channels: number): number {
  const table = WORST_BPP[format];
  let previous = table[0] ?? [1, 0.2];
  for (const point of table) {
    if (quality <= point[0]) {
      const span = point[0] - previous[0] || 1;
      const bpp = previous[1] + ((point[1] - previous[1]) * (quality - previous[0])) / span;
      return format === 'webp' && channels === 4 ? bpp + 1 : bpp;
    }
    previous = point;
  }
  return previous[1] + (format === 'webp' && channels === 4 ? 1 : 0);
}

/** The largest PNG the raw pixels could ever make (stored deflate blocks, filter bytes, chunks). */
export function pngWorstBytes(width: number, height: number, channels: number): number {
  const raw = width * height * channels + height;
  return raw + Math.ceil(raw / 65_535) * 5 + 65_536;
}

export function encoder(pipeline: Sharp, format: StillFormat, quality: number): Sharp {
  if (format === 'png') return pipeline.png();
  // Huffman optimisation costs about ten times the encode for 3% fewer bytes: not worth it here.
  if (format === 'jpeg') return pipeline.jpeg({ quality, optimiseCoding: false });
  return pipeline.webp({ quality, effort: WEBP_EFFORT });
}

function sized(source: PixelSource, width: number, height: number): Sharp {
  const pipeline = source.open();
  return width === source.width && height === source.height
    ? pipeline
    : pipeline.resize(width, height, { fit: 'fill' });
}

/** Where crops are cut from: the pixels in memory, or one band decoded off the top of the file. */
interface Crops {
  width: number;
  height: number;
  rows: number;
  cols: number;
  /** Each crop's size in output pixels. */
  crop: { width: number; height: number };
  open(): Sharp;
}

async function cropsOf(source: PixelSource): Promise<Crops> {
  const { stored } = source;
  if (!stored) return { ...source, ...GRID };
  const rows = Math.min(BAND.crop.height, stored.height);
  const band = { left: 0, top: 0, width: stored.width, height: rows };
  const { data, info } = await stored
    .open()
    .extract(band)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return { ...raw, ...BAND, open: () => sharp(data, { raw }) };
}

/** Crop rectangles spread over the image, each one crop at `scale` in source pixels. */
function cropBoxes(crops: Crops, scale: number) {
  const { width, height, rows, cols } = crops;
  const boxes: { left: number; top: number; width: number; height: number }[] = [];
  const w = Math.min(Math.round(crops.crop.width / scale), width);
  const h = Math.min(Math.round(crops.crop.height / scale), height);
  for (let row = 0; row < rows; row += 1) {
    for (let col = 0; col < cols; col += 1) {
      const left = Math.round(((width - w) * (col + 0.5)) / cols);
      const top = Math.round(((height - h) * (row + 0.5)) / rows);
      boxes.push({ left, top, width: w, height: h });
    }
  }
  return boxes;
}

/** Bytes per output pixel at `quality`, measured on crops of the image scaled by `scale`. */
async function sampleBpp(
  crops: Crops,
  format: 'jpeg' | 'webp',
  quality: number,
  scale: number,
): Promise<number> {
  const sizes = await Promise.all(
    cropBoxes(crops, scale).map(async (box) => {
      let pipeline = crops.open().extract(box);
      const outW = Math.max(1, Math.round(box.width * scale));
      const outH = Math.max(1, Math.round(box.height * scale));
      if (scale < 1) pipeline = pipeline.resize(outW, outH, { fit: 'fill' });
      const bytes = await encoder(pipeline, format, quality).toBuffer();
      return { bytes: bytes.length, pixels: outW * outH };
    }),
  );
  const bytes = sizes.reduce((sum, s) => sum + s.bytes, 0);
  const pixels = sizes.reduce((sum, s) => sum + s.pixels, 0);
  return bytes / pixels;
}

/**
 * The highest quality in [low, high] whose predicted size fits, or undefined if `low` does not.
 * Bytes per pixel grow roughly exponentially with quality, so the answer is interpolated on a
 * log scale between the two ends and checked once, then once more if the first guess overflowed:
 * at most four samplings, where a binary search would take six or seven.
 */
async function predictQuality(
  crops: Crops,
  format: 'jpeg' | 'webp',
  low: number,
  high: number,
  scale: number,
  pixels: number,
  budget: number,
): Promise<number | undefined> {
  const target = Math.log(budget / pixels);
  const logBpp = async (quality: number) =>
    Math.log(await sampleBpp(crops, format, quality, scale));
  let hi = { quality: high, log: await logBpp(high) };
  if (hi.log <= target) return high;
  let lo = { quality: low, log: await logBpp(low) };
  if (lo.log > target) return undefined;
  for (let round = 0; round < 2 && hi.quality - lo.quality > 1; round += 1) {
    const fraction = (target - lo.log) / (hi.log - lo.log || 1);
    const guess = Math.min(
      hi.quality - 1,
      Math.max(lo.quality + 1, Math.floor(lo.quality + fraction * (hi.quality - lo.quality))),
    );
    const probe = { quality: guess, log: await logBpp(guess) };
    if (probe.log <= target) lo = probe;
    else hi = probe;
  }
  return lo.quality;
}

async function encodeOnce(
  source: PixelSource,
  format: StillFormat,
  width: number,
  height: number,
  quality: number,
  file: string | undefined,
): Promise<Output> {
  const pipeline = encoder(sized(source, width, height), format, quality);
  if (!file) return pipeline.toBuffer();
  return { path: file, length: (await pipeline.toFile(file)).size };
}

function scaled(width: number, height: number, scale: number) {
  return {
    width: Math.max(1, Math.floor(width * scale)),
    height: Math.max(1, Math.floor(height * scale)),
  };
}

/** Encodes `request.source` as `request.format` at most `request.maxBytes` long (see module note). */
export async function encodeToFit(request: EncodeRequest): Promise<Encoded> {
  const { format, maxBytes, signal } = request;
  const encode = async (to: StillFormat, width: number, height: number, quality: number) => {
    await request.ready;
    signal?.throwIfAborted();
    return encodeOnce(request.source, to, width, height, quality, request.file);
  };
  let { width, height } = request;
  const changes: Change[] = [];
  if (format === 'png') {
    const bytes = await encode('png', width, height, 0);
    return { bytes, width, height, quality: undefined, changes };
  }
  const channels = request.source.channels;
  let quality = request.quality;
  // Small enough that even noise would at most just overflow at this quality (or the source's own
  // size says it will not): one streaming pass. Should it overflow after all, prediction takes over.
  const worst = width * height * worstBpp(format, quality, channels);
  if (Math.min(worst, request.sizeCeiling ?? worst) + 65_536 <= maxBytes * ONE_PASS_SLACK) {
    const bytes = await encode(format, width, height, quality);
    if (bytes.length <= maxBytes) return { bytes, width, height, quality, changes };
  }
  const budget = maxBytes * SAFETY;
  const { source } = request;
  const crops = await cropsOf(source);
  signal?.throwIfAborted();
  let scale = Math.min(width / source.width, height / source.height);
  const floor = Math.min(QUALITY_FLOOR, quality);
  let predicted = await predictQuality(
    crops,
    format,
    floor,
    quality,
    scale,
    width * height,
    budget,
  );
  if (predicted === undefined) {
    // Even the floor overflows: shrink until the floor's bytes fit (the bytes per pixel rise as
    // the image shrinks, so measure again at the new scale), then predict the quality there.
    for (let round = 0; round < 2; round += 1) {
      const bpp = await sampleBpp(crops, format, floor, scale);
      const pixels = source.width * source.height * scale * scale;
      scale *= Math.sqrt(budget / (bpp * pixels));
    }
    ({ width, height } = scaled(source.width, source.height, scale));
    predicted =
      (await predictQuality(crops, format, floor, quality, scale, width * height, budget)) ?? floor;
    changes.push({
      tag: 'resized',
      detail: `resized to ${width}×${height} because even quality ${floor} would exceed the size limit`,
    });
  }
  quality = predicted;
  let bytes = await encode(format, width, height, quality);
  if (bytes.length > maxBytes && quality - STEP >= Math.min(floor, quality)) {
    quality -= STEP;
    bytes = await encode(format, width, height, quality);
  }
  if (bytes.length > maxBytes) {
    const shrink = Math.sqrt((maxBytes * 0.85) / bytes.length);
    ({ width, height } = scaled(width, height, shrink));
    bytes = await encode(format, width, height, quality);
    changes.push({
      tag: 'resized',
      detail: `resized to ${width}×${height} to fit under the size limit`,
    });
  }
  if (quality < request.quality) {
    changes.push({
      tag: `quality ${quality}`,
      detail: `encoded at quality ${quality} (predicted from sampled crops) to fit under the size limit`,
    });
  }
  return { bytes, width, height, quality, changes };
}
