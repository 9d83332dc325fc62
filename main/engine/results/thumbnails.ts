// Small thumbnails for the queue and results views, made by the engine so the renderer never
// loads a full image: at most 192 px, WebP, cached on disk by job, side and index. The source side
// uses the prepared file when there is one (always decodable; HEIC sources have been converted).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { fail } from '../../contract/errors.ts';
import type { JobRecord } from '../store/jobs-store.ts';

const SIDE = 192;

export async function thumbnail(
  cacheDir: string,
  job: JobRecord,
  which: 'source' | 'result',
  index = 0,
): Promise<string> {
  const cached = join(cacheDir, `${job.id}-${which}-${index}.webp`);
  const path = which === 'result' ? job.results[index]?.path : (job.prepared?.path ?? job.source);
  if (!path) fail('not_found', `Job ${job.id} has no ${which} image ${index + 1}.`);
  let bytes: Buffer;
  try {
    bytes = await readFile(cached);
  } catch {
    try {
      bytes = await sharp(path, { limitInputPixels: 2 ** 28 })
        .rotate()
        .resize(SIDE, SIDE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 70, effort: 2 })
        .toBuffer();
    } catch {
      fail('unsupported', `GenQueue cannot make a preview of ${path}.`);
    }
    await mkdir(cacheDir, { recursive: true });
    await writeFile(cached, bytes);
  }
  return `data:image/webp;base64,${bytes.toString('base64')}`;
}
