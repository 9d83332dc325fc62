// Animated GIFs (and animated WebPs) over the limit keep moving: they are either reduced — fewer
// colours with stronger reuse of unchanged pixels, then every other frame (their delays merged,
// so the timing holds), then fewer pixels — or turned into animated WebP, as the user's setting
// decides. Each candidate is tried on a few sampled frames, and the whole animation is encoded
// once, with the first candidate predicted to fit (then smaller only if it still overflows).
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { Change } from './report.ts';

export interface AnimationRequest {
  input: Buffer | string;
  sourceFormat: 'gif' | 'webp';
  /** Frame size, and the size wanted (already fitted to any maximum dimension). */
  width: number;
  height: number;
  targetWidth: number;
  targetHeight: number;
  maxBytes: number;
  mode: 'reduce' | 'webp';
  inputOptions: SharpOptions;
  signal?: AbortSignal | undefined;
}

export interface AnimationResult {
  bytes: Buffer;
  format: 'gif' | 'webp';
  width: number;
  height: number;
  changes: Change[];
}

/** One way of encoding the animation. */
interface Candidate {
  squeeze: boolean;
  thin: boolean;
  width: number;
  height: number;
}

const WEBP_QUALITY = 80;
/** Fewer frames than this are not thinned: the motion would stop reading as motion. */
const MIN_FRAMES_TO_THIN = 8;
/** Frames per sample run, and where the runs start (fractions of the animation). */
const RUN = 6;
const RUN_STARTS = [0, 0.5];
const SAFETY = 0.9;

interface Frames {
  open(): Sharp;
  count: number;
  delay: number[] | undefined;
  loop: number | undefined;
}

/** Frames [first, first + count) of the source, every other one when thinning. */
async function framesOf(
  request: AnimationRequest,
  first: number,
  count: number,
  thin: boolean,
  meta: { delay: number[] | undefined; loop: number | undefined },
): Promise<Frames> {
  const options = { ...request.inputOptions, page: first, pages: count };
  const delay = meta.delay?.slice(first, first + count);
  if (!thin) return { open: () => sharp(request.input, options), count, delay, loop: meta.loop };
  // Every other frame, each kept frame lasting as long as the two it replaces.
  const { data, info } = await sharp(request.input, options)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const frameBytes = request.width * request.height * info.channels;
  const kept = Math.ceil(count / 2);
  const out = Buffer.alloc(frameBytes * kept);
  const merged: number[] = [];
  for (let i = 0; i < kept; i += 1) {
    data.copy(out, i * frameBytes, 2 * i * frameBytes, (2 * i + 1) * frameBytes);
    merged.push((delay?.[2 * i] ?? 100) + (delay?.[2 * i + 1] ?? 0));
  }
  const raw = {
    width: request.width,
    height: request.height * kept,
    channels: info.channels,
    pageHeight: request.height,
  };
  return {
    open: () => sharp(out, { raw, animated: true }),
    count: kept,
    delay: merged,
    loop: meta.loop,
  };
}

function encode(
  frames: Frames,
  request: AnimationRequest,
  format: 'gif' | 'webp',
  candidate: Candidate,
) {
  let pipeline = frames.open();
  if (candidate.width !== request.width || candidate.height !== request.height) {
    pipeline = pipeline.resize(candidate.width, candidate.height, { fit: 'fill' });
  }
  const timing = {
    ...(frames.delay && { delay: frames.delay }),
    ...(frames.loop !== undefined && { loop: frames.loop }),
  };
  if (format === 'webp') {
    const quality = WEBP_QUALITY - (candidate.squeeze ? 15 : 0);
    return pipeline.webp({ quality, effort: 2, ...timing }).toBuffer();
  }
  // A smaller palette, and pixels close to the previous frame's reused (LZW loves runs).
  return pipeline
    .gif({
      colours: candidate.squeeze ? 64 : 128,
      effort: 7,
      interFrameMaxError: candidate.squeeze ? 16 : 8,
      interPaletteMaxError: 8,
      ...timing,
    })
    .toBuffer();
}

/** The whole animation's bytes under `candidate`, scaled up from a few sampled runs of frames. */
async function predict(
  request: AnimationRequest,
  format: 'gif' | 'webp',
  candidate: Candidate,
  total: number,
  meta: { delay: number[] | undefined; loop: number | undefined },
): Promise<number> {
  if (total <= RUN * RUN_STARTS.length) {
    const frames = await framesOf(request, 0, total, candidate.thin, meta);
    return (await encode(frames, request, format, candidate)).length;
  }
  let bytes = 0;
  for (const start of RUN_STARTS) {
    const first = Math.min(total - RUN, Math.floor(start * total));
    const frames = await framesOf(request, first, RUN, candidate.thin, meta);
    bytes += (await encode(frames, request, format, candidate)).length;
  }
  return (bytes * total) / (RUN * RUN_STARTS.length);
}

/** Re-encodes an animation under `maxBytes`, reporting what was given up to get there. */
export async function fitAnimation(request: AnimationRequest): Promise<AnimationResult> {
  const format = request.mode === 'webp' || request.sourceFormat === 'webp' ? 'webp' : 'gif';
  const meta = await sharp(request.input, { ...request.inputOptions, animated: true }).metadata();
  const total = meta.pages ?? 1;
  const timing = { delay: meta.delay, loop: meta.loop };
  const full = { width: request.targetWidth, height: request.targetHeight };
  const canThin = format === 'gif' && total >= MIN_FRAMES_TO_THIN;
  const ladder: Candidate[] = [
    { ...full, squeeze: false, thin: false },
    { ...full, squeeze: true, thin: false },
    ...(canThin ? [{ ...full, squeeze: true, thin: true }] : []),
  ];
  const budget = request.maxBytes * SAFETY;
  let chosen = ladder[ladder.length - 1] ?? { ...full, squeeze: true, thin: false };
  let estimate = 0;
  for (const candidate of ladder) {
    request.signal?.throwIfAborted();
    estimate = await predict(request, format, candidate, total, timing);
    chosen = candidate;
    if (estimate <= budget) break;
  }
  if (estimate > budget) {
    // Even the strongest reduction overflows: fewer pixels, sized from the prediction.
    const scale = Math.sqrt(budget / estimate);
    chosen = {
      ...chosen,
      width: Math.max(1, Math.floor(full.width * scale)),
      height: Math.max(1, Math.floor(full.height * scale)),
    };
  }
  const frames = await framesOf(request, 0, total, chosen.thin, timing);
  let bytes = await encode(frames, request, format, chosen);
  while (bytes.length > request.maxBytes && chosen.width > 1) {
    request.signal?.throwIfAborted();
    const scale = Math.sqrt((request.maxBytes * 0.85) / bytes.length);
    chosen = {
      ...chosen,
      width: Math.max(1, Math.floor(chosen.width * scale)),
      height: Math.max(1, Math.floor(chosen.height * scale)),
    };
    bytes = await encode(frames, request, format, chosen);
  }
  return {
    bytes,
    format,
    width: chosen.width,
    height: chosen.height,
    changes: describe(request, format, chosen, frames.count, total),
  };
}

function describe(
  request: AnimationRequest,
  format: 'gif' | 'webp',
  chosen: Candidate,
  kept: number,
  total: number,
): Change[] {
  const changes: Change[] = [];
  if (format === 'webp' && request.sourceFormat === 'gif') {
    changes.push({ tag: 'animated WebP', detail: 'converted the animated GIF to animated WebP' });
  } else if (format === 'gif') {
    changes.push({
      tag: 'colours reduced',
      detail: `reduced the animation to ${chosen.squeeze ? 64 : 128} colours and reused unchanged pixels between frames`,
    });
  }
  if (kept < total) {
    changes.push({
      tag: 'frames reduced',
      detail: `kept every other frame (${kept} of ${total}), each shown twice as long`,
    });
  }
  if (chosen.width !== request.targetWidth) {
    const size = `${chosen.width}×${chosen.height}`;
    changes.push({
      tag: 'resized',
      detail: `scaled the animation to ${size} to fit under the limit`,
    });
  }
  return changes;
}
