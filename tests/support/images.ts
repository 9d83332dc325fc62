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
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${options.prefix ?? 'img'}-${String(i).padStart(4, '0')}.png`);
    const bytes = await sharp({
      create: {
        width: size,
        height: size,
        channels: 3,
        background: { r: i % 256, g: (i >> 8) % 256, b: 77 },
      },
    })
      .png()
      .toBuffer();
    await writeFile(path, bytes);
    paths.push(path);
  }
  return paths;
}
