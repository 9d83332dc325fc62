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
