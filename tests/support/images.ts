// Small, distinct images made by sharp inside tests: each one different in content (so content
// hashes differ), cheap to make in hundreds, and real JPEG/PNG files on disk.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export async function makeImages(
  dir: string,
  count: number,
  options: { size?: number; prefix?: string } = {},
): Promise<string[]> {
  const size = options.size ?? 24;
  const prefix = options.prefix ?? 'img';
  // The prefix changes the pixels too, so two batches never share content.
  const blue = [...prefix].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 256, 7);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${prefix}-${String(i).padStart(4, '0')}.png`);
    const bytes = await sharp({
      create: {
        width: size,
        height: size,
        channels: 3,
        background: { r: i % 256, g: (i >> 8) % 256, b: blue },
      },
    })
      .png()
      .toBuffer();
    await writeFile(path, bytes);
    paths.push(path);
  }
  return paths;
}

/**
 * An animated GIF of striped palette noise, which compresses badly: the worst case for fitting an
 * animation under the size limit. `stripeShift` sets the stripe width (2^n px), `grain` the noise.
 */
export async function noisyGif(
  file: string,
  options: {
    width: number;
    height: number;
    frames: number;
    stripeShift: number;
    grain: number;
    delayMs: number;
  },
): Promise<void> {
  const { width, height, frames, stripeShift, grain, delayMs } = options;
  const palette = Array.from({ length: 32 }, (_, i) => [
    (i * 53) % 256,
    (i * 97) % 256,
    (i * 193) % 256,
  ]);
  const raw = Buffer.alloc(width * height * frames * 3);
  let seed = 1;
  for (let p = 0; p < width * height * frames; p += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const frame = Math.floor(p / (width * height));
    raw.set(
      palette[(((p % width) >> stripeShift) + frame + ((seed >> 16) % grain)) % 32] ?? [0, 0, 0],
      p * 3,
    );
  }
  await sharp(raw, {
    raw: { width, height: height * frames, channels: 3, pageHeight: height },
    animated: true,
  })
    .gif({ delay: Array(frames).fill(delayMs), loop: 0 })
    .toFile(file);
}
