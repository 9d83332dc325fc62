// Animated GIFs (and animated WebPs) over the limit keep moving: they are either reduced — fewer
// colours with stronger reuse of unchanged pixels, then every other frame (their delays merged,
// so the timing holds), then fewer pixels — or turned into animated WebP, as the user's setting
// decides. Candidates are tried on a few sampled runs of frames (decoded once, cut to mosaics), and
// the whole animation is encoded once, with the first candidate predicted to fit.
import sharp, { type Channels, type Sharp, type SharpOptions } from 'sharp';
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
/** Sampled frames larger than this are cut down to a mosaic of GRID × GRID tiles. */
const MOSAIC_FROM_PIXELS = 250_000;
const GRID = 4;
const SAFETY = 0.9;

interface Timing {
  delay: number[] | undefined;
  loop: number | undefined;
}

/** Frames ready to encode, at `width` × `height` each. */
interface Frames {
  open(): Sharp;
  width: number;
  height: number;
  count: number;
  delay: number[] | undefined;
  loop: number | undefined;
}

/** Frames decoded to raw pixels, with their delays. */
interface RawFrames {
  data: Buffer;
  channels: Channels;
  width: number;
  height: number;
  count: number;
  delay: number[] | undefined;
}

/** Frames [first, first + count) of the source, decoded. */
async function decodeFrames(
  request: AnimationRequest,
  first: number,
  count: number,
  timing: Timing,
): Promise<RawFrames> {
  const options = { ...request.inputOptions, page: first, pages: count };
  const { data, info } = await sharp(request.input, options)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data,
    channels: info.channels,
    width: request.width,
    height: request.height,
    count,
    delay: timing.delay?.slice(first, first + count),
  };
}

/** Every other frame, each kept frame lasting as long as the two it replaces. */
function everyOther(frames: RawFrames): RawFrames {
  const frameBytes = frames.width * frames.height * frames.channels;
  const kept = Math.ceil(frames.count / 2);
  const data = Buffer.alloc(frameBytes * kept);
  const delay: number[] = [];
  for (let i = 0; i < kept; i += 1) {
    frames.data.copy(data, i * frameBytes, 2 * i * frameBytes, (2 * i + 1) * frameBytes);
    delay.push((frames.delay?.[2 * i] ?? 100) + (frames.delay?.[2 * i + 1] ?? 0));
  }
  return { ...frames, data, count: kept, delay };
}

/**
 * Each frame cut down to the tiles at the centres of a GRID × GRID lattice (an eighth of the frame
 * across each), joined edge to edge: a quarter of the pixels, drawn from all over the picture, so
 * a trial encode costs a quarter and its bytes per pixel still speak for the whole frame.
 */
function mosaic(frames: RawFrames): RawFrames {
  if (frames.width * frames.height <= MOSAIC_FROM_PIXELS) return frames;
  const { width: fw, height: fh, channels: c } = frames;
  const tw = Math.floor(fw / (2 * GRID));
  const th = Math.floor(fh / (2 * GRID));
  const width = tw * GRID;
  const height = th * GRID;
  const data = Buffer.alloc(width * height * c * frames.count);
  for (let f = 0; f < frames.count; f += 1) {
    for (let gy = 0; gy < GRID; gy += 1) {
      const y0 = Math.floor(((gy + 0.5) * fh) / GRID - th / 2);
      for (let gx = 0; gx < GRID; gx += 1) {
        const x0 = Math.floor(((gx + 0.5) * fw) / GRID - tw / 2);
        for (let y = 0; y < th; y += 1) {
          const from = ((f * fh + y0 + y) * fw + x0) * c;
          const to = ((f * height + gy * th + y) * width + gx * tw) * c;
          frames.data.copy(data, to, from, from + tw * c);
        }
      }
    }
  }
  return { ...frames, data, width, height };
}

function fromRaw(frames: RawFrames, loop: number | undefined): Frames {
  const raw = {
    width: frames.width,
    height: frames.height * frames.count,
    channels: frames.channels,
    pageHeight: frames.height,
  };
  return {
    open: () => sharp(frames.data, { raw, animated: true }),
    width: frames.width,
    height: frames.height,
    count: frames.count,
    delay: frames.delay,
    loop,
  };
}

/** The whole animation as the candidate wants it: streamed from the file, or thinned in memory. */
async function allFrames(
  request: AnimationRequest,
  total: number,
  thin: boolean,
  timing: Timing,
): Promise<Frames> {
  if (thin) return fromRaw(everyOther(await decodeFrames(request, 0, total, timing)), timing.loop);
  const options = { ...request.inputOptions, animated: true };
  const { width, height } = request;
  return { open: () => sharp(request.input, options), width, height, count: total, ...timing };
}

/** Encodes `frames` under `candidate`, scaled by `scale` (the candidate's size over the source's). */
function encode(
  frames: Frames,
  format: 'gif' | 'webp',
  candidate: Candidate,
  scale: { x: number; y: number },
) {
  let pipeline = frames.open();
  if (scale.x !== 1 || scale.y !== 1) {
    const width = Math.max(1, Math.round(frames.width * scale.x));
    const height = Math.max(1, Math.round(frames.height * scale.y));
    pipeline = pipeline.resize(width, height, { fit: 'fill' });
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

function scaleOf(request: AnimationRequest, candidate: Candidate): { x: number; y: number } {
  return { x: candidate.width / request.width, y: candidate.height / request.height };
}

/** A few runs of frames spread over the animation, decoded and cut to mosaics once for every trial. */
async function sampleRuns(
  request: AnimationRequest,
  total: number,
  timing: Timing,
): Promise<RawFrames[]> {
  if (total <= RUN * RUN_STARTS.length)
    return [mosaic(await decodeFrames(request, 0, total, timing))];
  const runs: RawFrames[] = [];
  for (const start of RUN_STARTS) {
    const first = Math.min(total - RUN, Math.floor(start * total));
    runs.push(mosaic(await decodeFrames(request, first, RUN, timing)));
  }
  return runs;
}

/** The bytes one sampled run takes under `candidate`. */
async function runBytes(
  run: RawFrames,
  request: AnimationRequest,
  format: 'gif' | 'webp',
  candidate: Candidate,
  timing: Timing,
): Promise<number> {
  const frames = fromRaw(candidate.thin ? everyOther(run) : run, timing.loop);
  return (await encode(frames, format, candidate, scaleOf(request, candidate))).length;
}

/**
 * Walks the ladder to the first candidate predicted to fit. The first is encoded on every sampled
 * run and scaled up to the whole animation; each later one only on the run that weighed most,
 * as a ratio to the first candidate's bytes there.
 */
async function choose(
  request: AnimationRequest,
  format: 'gif' | 'webp',
  ladder: readonly [Candidate, ...Candidate[]],
  total: number,
  timing: Timing,
  budget: number,
): Promise<{ chosen: Candidate; estimate: number }> {
  const runs = await sampleRuns(request, total, timing);
  const [first, ...rest] = ladder;
  const firstBytes: number[] = [];
  for (const run of runs) firstBytes.push(await runBytes(run, request, format, first, timing));
  const sampledPixels = runs.reduce((n, run) => n + run.count * run.width * run.height, 0);
  const perPixel = firstBytes.reduce((a, b) => a + b, 0) / sampledPixels;
  const firstEstimate = perPixel * total * request.width * request.height;
  const heaviest = firstBytes.indexOf(Math.max(...firstBytes));
  let chosen = first;
  let estimate = firstEstimate;
  for (const candidate of rest) {
    if (estimate <= budget) break;
    request.signal?.throwIfAborted();
    const bytes = await runBytes(runs[heaviest]!, request, format, candidate, timing);
    estimate = (firstEstimate * bytes) / firstBytes[heaviest]!;
    chosen = candidate;
  }
  return { chosen, estimate };
}

/** Re-encodes an animation under `maxBytes`, reporting what was given up to get there. */
export async function fitAnimation(request: AnimationRequest): Promise<AnimationResult> {
  const format = request.mode === 'webp' || request.sourceFormat === 'webp' ? 'webp' : 'gif';
  const meta = await sharp(request.input, { ...request.inputOptions, animated: true }).metadata();
  const total = meta.pages ?? 1;
  const timing = { delay: meta.delay, loop: meta.loop };
  const full = { width: request.targetWidth, height: request.targetHeight };
  const canThin = format === 'gif' && total >= MIN_FRAMES_TO_THIN;
  const ladder: [Candidate, ...Candidate[]] = [
    { ...full, squeeze: false, thin: false },
    { ...full, squeeze: true, thin: false },
    ...(canThin ? [{ ...full, squeeze: true, thin: true }] : []),
  ];
  const budget = request.maxBytes * SAFETY;
  const choice = await choose(request, format, ladder, total, timing, budget);
  let chosen = choice.chosen;
  if (choice.estimate > budget) {
    // Even the strongest reduction overflows: fewer pixels, sized from the prediction.
    const scale = Math.sqrt(budget / choice.estimate);
    chosen = {
      ...chosen,
      width: Math.max(1, Math.floor(full.width * scale)),
      height: Math.max(1, Math.floor(full.height * scale)),
    };
  }
  request.signal?.throwIfAborted();
  const frames = await allFrames(request, total, chosen.thin, timing);
  let bytes = await encode(frames, format, chosen, scaleOf(request, chosen));
  while (bytes.length > request.maxBytes && chosen.width > 1) {
    request.signal?.throwIfAborted();
    const scale = Math.sqrt((request.maxBytes * 0.85) / bytes.length);
    chosen = {
      ...chosen,
      width: Math.max(1, Math.floor(chosen.width * scale)),
      height: Math.max(1, Math.floor(chosen.height * scale)),
    };
    bytes = await encode(frames, format, chosen, scaleOf(request, chosen));
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
