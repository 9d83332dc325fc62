// The images a simulated task "generates": the first reference image, upright, cropped to the
// requested aspect ratio (long edge 1024 by default), tinted and stamped SIMULATED so nobody mistakes it for
// a real generation. Rendered on the first download and kept on disk, so tasks cost nothing until
// someone actually fetches their result.
import { rename } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export interface ResultRecipe {
  key: string; // "<taskId>-<k>", also the file name
  input: string | null; // path of the first reference image
  ratio: number | null; // width / height; null → the input's own ratio (square without input)
  index: number;
}

const TINTS = [
  { r: 255, g: 140, b: 40 },
  { r: 60, g: 160, b: 255 },
  { r: 120, g: 220, b: 90 },
  { r: 220, g: 90, b: 220 },
];

function sizeFor(ratio: number, longEdge: number): { width: number; height: number } {
  return ratio >= 1
    ? { width: longEdge, height: Math.max(1, Math.round(longEdge / ratio)) }
    : { width: Math.max(1, Math.round(longEdge * ratio)), height: longEdge };
}

function stamp(width: number, height: number, caption: string): Buffer {
  const band = Math.round(Math.min(width, height) / 5);
  const size = Math.round(Math.min(band * 0.75, width / 7));
  const small = Math.max(10, Math.round(size / 4));
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="0" y="${(height - band) / 2}" width="${width}" height="${band}" fill="black" fill-opacity="0.55"/>` +
      `<text x="50%" y="50%" dy="0.35em" text-anchor="middle" font-family="sans-serif" font-weight="bold" font-size="${size}" fill="white">SIMULATED</text>` +
      `<text x="50%" y="${height - small}" text-anchor="middle" font-family="sans-serif" font-size="${small}" fill="white" fill-opacity="0.8">${caption}</text>` +
      `</svg>`,
  );
}

async function inputSize(input: string): Promise<{ width: number; height: number } | null> {
  try {
    const meta = await sharp(input).metadata();
    return meta.autoOrient;
  } catch {
    return null; // unreadable despite its magic bytes: render a plain canvas instead
  }
}

async function render(recipe: ResultRecipe, target: string, longEdge: number): Promise<void> {
  const tint = TINTS[recipe.index % TINTS.length] ?? { r: 128, g: 128, b: 128 };
  const source = recipe.input === null ? null : await inputSize(recipe.input);
  const ratio = recipe.ratio ?? (source ? source.width / source.height : 1);
  const { width, height } = sizeFor(ratio, longEdge);
  const base =
    recipe.input !== null && source !== null
      ? sharp(recipe.input).autoOrient().resize(width, height, { fit: 'cover' }).tint(tint)
      : sharp({ create: { width, height, channels: 3, background: tint } });
  const caption = `GenQueue simulator · ${recipe.key}`;
  const temp = `${target}.part`;
  await base
    .composite([{ input: stamp(width, height, caption) }])
    .png({ compressionLevel: 3 })
    .toFile(temp);
  await rename(temp, target);
}

/** Renders each result once, on first request; concurrent requests share the same rendering. */
export class ResultImages {
  readonly #dir: string;
  readonly #longEdge: number;
  readonly #rendered = new Map<string, Promise<string>>();

  constructor(dir: string, longEdge: number) {
    this.#dir = dir;
    this.#longEdge = longEdge;
  }

  file(recipe: ResultRecipe): Promise<string> {
    let pending = this.#rendered.get(recipe.key);
    if (!pending) {
      const target = path.join(this.#dir, `${recipe.key}.png`);
      pending = render(recipe, target, this.#longEdge).then(() => target);
      pending.catch(() => this.#rendered.delete(recipe.key));
      this.#rendered.set(recipe.key, pending);
    }
    return pending;
  }

  /** Settles once every rendering started so far has finished, so close() can remove the folder. */
  async idle(): Promise<void> {
    await Promise.allSettled(this.#rendered.values());
  }
}
