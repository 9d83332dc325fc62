// Test helpers for preflight: an independent EXIF reader (so GPS checks do not trust the code under
// test), a hand-written BMP encoder (sharp cannot write BMP), and the corpus location.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

export { CORPUS, REPO_ROOT, tempDir } from '../../../support/paths.ts';

/** Tags of IFD0 in an EXIF blob (with or without the "Exif\0\0" prefix). */
export function ifd0Tags(exif: Uint8Array): number[] {
  const start = exif[0] === 0x45 ? 6 : 0;
  const view = new DataView(exif.buffer, exif.byteOffset + start, exif.byteLength - start);
  const little = view.getUint8(0) === 0x49;
  const ifd = view.getUint32(4, little);
  const count = view.getUint16(ifd, little);
  return Array.from({ length: count }, (_, i) => view.getUint16(ifd + 2 + i * 12, little));
}

/** Where GPS could hide in a prepared file: the EXIF GPS pointer, XMP coordinates, raw text. */
export async function gpsTraces(path: string): Promise<string[]> {
  const bytes = await readFile(path);
  const meta = await sharp(bytes).metadata();
  const traces: string[] = [];
  if (meta.exif && ifd0Tags(meta.exif).includes(0x8825)) traces.push('EXIF GPS directory');
  if (meta.xmp && /GPSLatitude|GPSLongitude/.test(meta.xmp.toString('latin1'))) traces.push('XMP');
  if (/GPSLatitude|GPSLongitude/.test(bytes.toString('latin1'))) traces.push('raw bytes');
  return traces;
}

/** A bottom-up BMP (24-bit, or 32-bit BI_RGB with alpha) of the given RGB(A) pixels. */
export function encodeBmp(
  width: number,
  height: number,
  channels: 3 | 4,
  pixels: Uint8Array,
): Buffer {
  const bpp = channels * 8;
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + stride * height, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bpp, 28);
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const row = (height - 1 - y) * stride;
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * channels;
      const o = row + x * channels;
      data[o] = pixels[i + 2] ?? 0;
      data[o + 1] = pixels[i + 1] ?? 0;
      data[o + 2] = pixels[i] ?? 0;
      if (channels === 4) data[o + 3] = pixels[i + 3] ?? 0;
    }
  }
  return Buffer.concat([header, data]);
}
