// Full-size images for the compare, made by the engine so the window never names a file: a result
// or source the browser can show as it is (and small enough) goes over as its own bytes, 1:1;
// anything larger, rotated by EXIF or in another format is scaled to at most 4096 px as WebP.
import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { fail } from '../../contract/errors.ts';
import { CONTENT_TYPES, UPLOAD_FORMATS, type UploadFormat } from '../../contract/image-files.ts';
import type { FullImage } from '../../contract/results.ts';
import type { JobRecord } from '../store/jobs-store.ts';

const MAX_SIDE = 4096;
const MAX_BYTES = 16_000_000;

async function load(path: string): Promise<FullImage> {
  const input = sharp(path, { limitInputPixels: 2 ** 28 });
  const meta = await input.metadata();
  const format = meta.format as UploadFormat;
  const mime = UPLOAD_FORMATS.includes(format) ? CONTENT_TYPES[format] : undefined;
  const { width = 0, height = 0 } = meta;
  const bytes = (await stat(path)).size;
  const upright = (meta.orientation ?? 1) === 1;
  if (mime && upright && bytes <= MAX_BYTES && Math.max(width, height) <= MAX_SIDE) {
    const data = await readFile(path);
    return { dataUrl: `data:${mime};base64,${data.toString('base64')}`, width, height };
  }
  const { data, info } = await input
    .rotate()
    .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 92 })
    .toBuffer({ resolveWithObject: true });
  return {
    dataUrl: `data:image/webp;base64,${data.toString('base64')}`,
    width: info.width,
    height: info.height,
  };
}

/**
 * A job's result `index`, or its source: the original file first, the prepared copy (what APIMart
 * was sent, always decodable) when the original cannot be read.
 */
export async function fullImage(
  job: JobRecord,
  which: 'source' | 'result',
  index = 0,
): Promise<FullImage> {
  const paths = which === 'result' ? [job.results[index]?.path] : [job.source, job.prepared?.path];
  for (const path of paths) {
    if (!path) continue;
    try {
      return await load(path);
    } catch {
      // the next candidate, else the sentence below
    }
  }
  fail('unsupported', `GenQueue cannot show the ${which} image of ${job.id} any more.`);
}
