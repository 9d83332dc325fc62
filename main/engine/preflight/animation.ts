// Animated GIFs (and animated WebPs) over the limit keep moving: they are either reduced — fewer
// colours and stronger inter-frame reuse first, then fewer pixels — or turned into animated WebP,
// as the user's setting decides. Each further attempt is sized from the bytes the last one made.
import sharp, { type SharpOptions } from 'sharp';
import type { Change } from './report.ts';

export interface AnimationRequest {
  input: Buffer | string;
  sourceFormat: 'gif' | 'webp';
  /** Upright page size and the size wanted (already fitted to any maximum dimension). */
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

const ATTEMPTS = 4;
const WEBP_QUALITY = 80;

function encode(
  request: AnimationRequest,
  format: 'gif' | 'webp',
  width: number,
  height: number,
  squeeze: number,
) {
  let pipeline = sharp(request.input, { ...request.inputOptions, animated: true });
  if (width !== request.width || height !== request.height)
    pipeline = pipeline.resize(width, height, { fit: 'fill' });
  if (format === 'webp')
    return pipeline.webp({ quality: WEBP_QUALITY - squeeze * 10, effort: 2 }).toBuffer();
  // Reduction: a smaller palette, and pixels close to the previous frame's reused (LZW loves runs).
  return pipeline
    .gif({
      colours: squeeze ? 64 : 128,
      effort: 7,
      interFrameMaxError: squeeze ? 16 : 8,
      interPaletteMaxError: 8,
    })
    .toBuffer();
}

/** Re-encodes an animation under `maxBytes`, reporting what was given up to get there. */
export async function fitAnimation(request: AnimationRequest): Promise<AnimationResult> {
  const format = request.mode === 'webp' || request.sourceFormat === 'webp' ? 'webp' : 'gif';
  let width = request.targetWidth;
  let height = request.targetHeight;
  const changes: Change[] = [];
  let bytes = await encode(request, format, width, height, 0);
  let squeeze = 0;
  for (let attempt = 1; bytes.length > request.maxBytes && attempt < ATTEMPTS; attempt += 1) {
    request.signal?.throwIfAborted();
    if (squeeze === 0) {
      squeeze = 1; // first try harder compression at the same size
    } else {
      const scale = Math.sqrt((request.maxBytes * 0.85) / bytes.length);
      width = Math.max(1, Math.floor(width * scale));
      height = Math.max(1, Math.floor(height * scale));
    }
    bytes = await encode(request, format, width, height, squeeze);
  }
  if (format === 'webp' && request.sourceFormat === 'gif') {
    changes.push({
      tag: 'animated WebP',
      detail: 'converted the animated GIF to animated WebP, which is far smaller',
    });
  } else if (format === 'gif') {
    changes.push({
      tag: 'colours reduced',
      detail: `reduced the animation to ${squeeze ? 64 : 128} colours per frame and reused unchanged pixels between frames`,
    });
  }
  if (width !== request.targetWidth) {
    changes.push({
      tag: 'resized',
      detail: `scaled the animation to ${width}×${height} to fit under the size limit`,
    });
  }
  return { bytes, format, width, height, changes };
}
