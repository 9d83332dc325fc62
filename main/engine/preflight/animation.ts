// Animated GIFs (and animated WebPs) over the limit keep moving: they are either reduced — fewer
// colours with stronger reuse of unchanged pixels, then every other frame (their delays merged,
// so the timing holds), then fewer pixels — or turned into animated WebP, as the user's setting
// decides. Each further attempt is sized from the bytes the last one made.
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

const ATTEMPTS = 6;
const WEBP_QUALITY = 80;
/** Fewer frames than this are not thinned: the motion would stop reading as motion. */
const MIN_FRAMES_TO_THIN = 8;

interface Frames {
  open(): Sharp;
  count: number;
  delay: number[] | undefined;
  loop: number | undefined;
}

async function framesOf(request: AnimationRequest): Promise<Frames> {
  const options = { ...request.inputOptions, animated: true };
  const meta = await sharp(request.input, options).metadata();
  return {
    open: () => sharp(request.input, options),
    count: meta.pages ?? 1,
    delay: meta.delay,
    loop: meta.loop,
  };
}

/** Every other frame, each kept frame lasting as long as the two it replaces. */
async function thinned(frames: Frames, width: number, height: number): Promise<Frames> {
  const { data, info } = await frames.open().raw().toBuffer({ resolveWithObject: true });
  const frameBytes = width * height * info.channels;
  const kept = Math.ceil(frames.count / 2);
  const out = Buffer.alloc(frameBytes * kept);
  const delay: number[] = [];
  for (let i = 0; i < kept; i += 1) {
    data.copy(out, i * frameBytes, 2 * i * frameBytes, (2 * i + 1) * frameBytes);
    delay.push((frames.delay?.[2 * i] ?? 100) + (frames.delay?.[2 * i + 1] ?? 0));
  }
  const raw = { width, height: height * kept, channels: info.channels, pageHeight: height };
  return { open: () => sharp(out, { raw, animated: true }), count: kept, delay, loop: frames.loop };
}

interface Step {
  width: number;
  height: number;
  squeeze: boolean;
}

function encode(frames: Frames, request: AnimationRequest, format: 'gif' | 'webp', step: Step) {
  let pipeline = frames.open();
  if (step.width !== request.width || step.height !== request.height) {
    pipeline = pipeline.resize(step.width, step.height, { fit: 'fill' });
  }
  const timing = {
    ...(frames.delay && { delay: frames.delay }),
    ...(frames.loop !== undefined && { loop: frames.loop }),
  };
  if (format === 'webp') {
    return pipeline
      .webp({ quality: WEBP_QUALITY - (step.squeeze ? 15 : 0), effort: 2, ...timing })
      .toBuffer();
  }
  // A smaller palette, and pixels close to the previous frame's reused (LZW loves runs).
  return pipeline
    .gif({
      colours: step.squeeze ? 64 : 128,
      effort: 7,
      interFrameMaxError: step.squeeze ? 16 : 8,
      interPaletteMaxError: 8,
      ...timing,
    })
    .toBuffer();
}

/** Re-encodes an animation under `maxBytes`, reporting what was given up to get there. */
export async function fitAnimation(request: AnimationRequest): Promise<AnimationResult> {
  const format = request.mode === 'webp' || request.sourceFormat === 'webp' ? 'webp' : 'gif';
  let frames = await framesOf(request);
  const original = frames.count;
  const step: Step = { width: request.targetWidth, height: request.targetHeight, squeeze: false };
  let bytes = await encode(frames, request, format, step);
  for (let attempt = 1; bytes.length > request.maxBytes && attempt < ATTEMPTS; attempt += 1) {
    request.signal?.throwIfAborted();
    if (!step.squeeze) {
      step.squeeze = true; // first, harder compression at the same size
    } else if (format === 'gif' && frames.count === original && original >= MIN_FRAMES_TO_THIN) {
      frames = await thinned(frames, request.width, request.height);
    } else {
      const scale = Math.sqrt((request.maxBytes * 0.85) / bytes.length);
      step.width = Math.max(1, Math.floor(step.width * scale));
      step.height = Math.max(1, Math.floor(step.height * scale));
    }
    bytes = await encode(frames, request, format, step);
  }
  const changes: Change[] = [];
  if (format === 'webp' && request.sourceFormat === 'gif') {
    changes.push({ tag: 'animated WebP', detail: 'converted the animated GIF to animated WebP' });
  } else if (format === 'gif') {
    const colours = step.squeeze ? 64 : 128;
    changes.push({
      tag: 'colours reduced',
      detail: `reduced the animation to ${colours} colours and reused unchanged pixels between frames`,
    });
  }
  if (frames.count < original) {
    changes.push({
      tag: 'frames reduced',
      detail: `kept every other frame (${frames.count} of ${original}), each shown twice as long`,
    });
  }
  if (step.width !== request.targetWidth) {
    const size = `${step.width}×${step.height}`;
    changes.push({
      tag: 'resized',
      detail: `scaled the animation to ${size} to fit under the limit`,
    });
  }
  return { bytes, format, width: step.width, height: step.height, changes };
}
