// Wraps decoded RGB(A) pixels in an uncompressed TIFF header, in place, so they reach sharp with
// their ICC profile attached: sharp's raw input cannot carry a profile, and without one a Display
// P3 photo would be read as sRGB and lose its colour.

/** Rows per strip: small strips let libvips read the pixels without a second copy. */
export const ROWS_PER_STRIP = 64;
const FIXED_HEADER = 1024;

/** Bytes to leave in front of the pixels for the header (the decoder places pixels after it). */
export function tiffReserve(height: number, iccLength: number): number {
  return FIXED_HEADER + iccLength + 8 * Math.ceil(height / ROWS_PER_STRIP);
}

type Entry = [tag: number, type: 3 | 4 | 7, values: number[] | Uint8Array];

/**
 * Writes a little-endian baseline TIFF header into `file`, whose last bytes are the pixels: RGBA
 * (unassociated alpha) when `hasAlpha`, else RGB.
 */
export function writeTiffHeader(
  file: Uint8Array,
  width: number,
  height: number,
  hasAlpha: boolean,
  icc: Uint8Array | undefined,
): void {
  const samples = hasAlpha ? 4 : 3;
  const rowBytes = width * samples;
  const dataStart = file.length - rowBytes * height;
  if (dataStart < tiffReserve(height, icc?.length ?? 0)) {
    throw new RangeError('not enough room in front of the pixels for a TIFF header');
  }
  const strips = Math.ceil(height / ROWS_PER_STRIP);
  const offsets: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < strips; i += 1) {
    const rows = Math.min(ROWS_PER_STRIP, height - i * ROWS_PER_STRIP);
    offsets.push(dataStart + i * ROWS_PER_STRIP * rowBytes);
    counts.push(rows * rowBytes);
  }
  const entries: Entry[] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, Array<number>(samples).fill(8)],
    [259, 3, [1]], // no compression
    [262, 3, [2]], // RGB
    [273, 4, offsets],
    [277, 3, [samples]],
    [278, 4, [ROWS_PER_STRIP]],
    [279, 4, counts],
    [284, 3, [1]], // interleaved
  ];
  if (hasAlpha) entries.push([338, 3, [2]]); // unassociated alpha
  if (icc) entries.push([34675, 7, icc]);
  const view = new DataView(file.buffer, file.byteOffset, dataStart);
  file.set([0x49, 0x49, 42, 0], 0);
  view.setUint32(4, 8, true);
  view.setUint16(8, entries.length, true);
  let spill = 8 + 2 + entries.length * 12 + 4;
  entries.forEach(([tag, type, values], i) => {
    const at = 10 + i * 12;
    const size = type === 3 ? 2 : type === 4 ? 4 : 1;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, values.length, true);
    let target = at + 8;
    if (values.length * size > 4) {
      view.setUint32(at + 8, spill, true);
      target = spill;
      spill += values.length * size + ((values.length * size) & 1);
    }
    values.forEach((value, j) => {
      if (type === 3) view.setUint16(target + j * 2, value, true);
      else if (type === 4) view.setUint32(target + j * 4, value, true);
      else view.setUint8(target + j, value);
    });
  });
  view.setUint32(10 + entries.length * 12, 0, true); // no next IFD
}
