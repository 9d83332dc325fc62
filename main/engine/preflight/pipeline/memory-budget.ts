// Keeps preparations within the machine's memory: each one's peak is estimated from the header
// before anything is decoded, one that could never fit is refused with a sentence, and the
// preparations running at once (queue and CLI alike) together stay under one budget, so a batch
// of huge images runs one at a time while small ones run side by side.
import { totalmem } from 'node:os';
import sharp from 'sharp';
import { fail } from '../../../contract/errors.ts';
import type { SourceFormat } from '../decoders/detect.ts';
import { megapixels } from '../decoders/heic.ts';
import type { Plan } from './inspect.ts';
import type { JpegHeader } from '../decoders/jpeg-segments.ts';

const MB = 1024 * 1024;
/** libvips' caches and line buffers, crops for the size prediction, the encoder's output. */
const OVERHEAD = 48 * MB;
/** The HEIC worker holds the file, the decoded planes and an RGB(A) copy (see decoders/heic.ts). */
const HEIC_BYTES_PER_PIXEL = 10;
/** Never less than this for all preparations together, even on a small machine. */
const BUDGET_FLOOR = 1024 * MB;
const BUDGET_SHARE = 0.25;

// libvips' operation cache keeps finished decoders alive, and a progressive JPEG's decoder holds
// every coefficient (768 MB at 256 MP) outside any budget: two giants prepared one after the other
// peaked at 1.6 GB with the cache, 0.9 GB without. Preparations gain little from it.
sharp.cache(false);

export interface PreparationFacts {
  format: SourceFormat;
  plan: Plan;
  /** Bytes of the source held in memory during the preparation. */
  held: number;
  /** The JPEG header, for a JPEG: progressive files hold all their coefficients while decoding. */
  jpeg: JpegHeader | undefined;
}

/** How far libjpeg's shrink-on-load scales a JPEG down for `target`: 1, 2, 4 or 8. */
function shrinkOnLoad(plan: Plan): number {
  const scale = Math.max(
    plan.target.width / plan.upright.width,
    plan.target.height / plan.upright.height,
  );
  return [8, 4, 2].find((factor) => 1 / factor >= scale) ?? 1;
}

/**
 * The most memory a preparation of these facts can take, in bytes. Measured: a 16,000² progressive
 * 4:2:0 JPEG with orientation 6 peaks at 1.6 GB (768 MB of coefficients, 768 MB rotating), a
 * rotated 12,000² PNG at 0.5 GB; a decode that streams (no rotation) stays near the overhead.
 */
export function preparationBytes({ format, plan, held, jpeg }: PreparationFacts): number {
  const { width, height, pages, hasAlpha, sixteenBit, cmyk } = plan.info;
  const pixels = width * height;
  if (plan.animated) return OVERHEAD + held + pages * pixels * 4 * 2; // frames, then quantised
  if (format === 'heic') return OVERHEAD + held + pixels * HEIC_BYTES_PER_PIXEL;
  if (format === 'bmp') return OVERHEAD + held + pixels * 4 * 2; // decoded, then handed to sharp
  let decode = 0;
  if (jpeg?.progressive) decode = pixels * jpeg.samplesPerPixel * 2; // 16-bit coefficients
  // Turning by 180° or 90° (orientations 3–8) holds the whole decoded image; flips stream.
  let whole = 0;
  if (plan.orientation > 2) {
    const shrink = format === 'jpeg' ? shrinkOnLoad(plan) : 1;
    const channels = cmyk || hasAlpha ? 4 : 3;
    whole = (pixels / (shrink * shrink)) * channels * (sixteenBit ? 2 : 1);
  }
  return OVERHEAD + held + decode + whole;
}

/** All preparations together may use this much: a share of the machine's memory, with a floor. */
export function memoryBudget(total = totalmem()): number {
  return Math.max(BUDGET_FLOOR, Math.floor(total * BUDGET_SHARE));
}

export interface MemoryGate {
  /** The budget: also the most one preparation may need, running alone. */
  readonly budget: number;
  /** Runs fn once `bytes` fit beside the preparations already running (first come, first served). */
  run<T>(bytes: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createMemoryGate(budget: number): MemoryGate {
  let used = 0;
  const waiting: { bytes: number; go: () => void }[] = [];
  const fits = (bytes: number) => used === 0 || used + bytes <= budget;
  const admit = () => {
    // Admission and accounting happen in the same step, so no caller can slip in between.
    while (waiting[0] && fits(waiting[0].bytes)) {
      const next = waiting.shift()!;
      used += next.bytes;
      next.go();
    }
  };
  const wait = (bytes: number, signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      const entry = {
        bytes,
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        waiting.splice(waiting.indexOf(entry), 1);
        admit(); // a large waiter leaving may let smaller ones behind it start
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  return {
    budget,
    async run(bytes, fn, signal) {
      signal?.throwIfAborted();
      if (waiting.length === 0 && fits(bytes)) used += bytes;
      else await wait(bytes, signal);
      try {
        return await fn();
      } finally {
        used -= bytes;
        admit();
      }
    },
  };
}

let shared: MemoryGate | undefined;
/** The one gate every preparation in this process goes through, unless given another. */
export function sharedMemoryGate(): MemoryGate {
  shared ??= createMemoryGate(memoryBudget());
  return shared;
}

/** A memory size in a sentence: "1.6 GB", "820 MB". */
export function memorySize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

/** The memory a preparation needs; refused, saying so, when it could not fit even alone. */
export function neededMemory(name: string, facts: PreparationFacts, gate: MemoryGate): number {
  const need = preparationBytes(facts);
  if (need <= gate.budget) return need;
  const { width, height } = facts.plan.info;
  const smaller = { ...facts.plan.upright };
  smaller.width = Math.max(1, Math.floor(smaller.width / 8));
  smaller.height = Math.max(1, Math.floor(smaller.height / 8));
  const shrunk = preparationBytes({ ...facts, plan: { ...facts.plan, target: smaller } });
  const hint =
    shrunk <= gate.budget && !facts.plan.resize
      ? ' A maximum dimension in Settings lets GenQueue shrink it while decoding.'
      : '';
  return fail(
    'too_many_pixels',
    `${name} is ${width} × ${height} (${megapixels(width * height)}); preparing it would take about ${memorySize(need)} of memory, more than the ${memorySize(gate.budget)} GenQueue allows on this computer.${hint}`,
  );
}
