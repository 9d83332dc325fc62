// Edits EXIF (a small TIFF structure) in place so that "keep metadata" can still drop GPS: the GPS
// pointer leaves IFD0 and the GPS directory is zeroed, without moving any other byte, so every
// offset elsewhere (maker notes, thumbnails) stays valid and the containing file keeps its length.

const GPS_POINTER = 0x8825;
const ORIENTATION = 0x0112;
const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};

/** A real copy of part of a byte array (Buffer#slice would share memory, and edits here are in place). */
export function copyBytes(bytes: Uint8Array, start: number, end = bytes.length): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}

/** Offset of the TIFF header inside an EXIF blob (skipping an "Exif\0\0" prefix), if it has one. */
export function tiffStart(blob: Uint8Array): number | undefined {
  const prefixed = blob[0] === 0x45 && blob[1] === 0x78 && blob[2] === 0x69 && blob[3] === 0x66;
  const at = prefixed ? 6 : 0;
  const a = blob[at];
  const b = blob[at + 1];
  if ((a === 0x49 && b === 0x49) || (a === 0x4d && b === 0x4d)) return at;
  return undefined;
}

class TiffView {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly little: boolean;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.little = bytes[0] === 0x49;
  }
  fits(offset: number, length: number): boolean {
    return offset >= 0 && offset + length <= this.bytes.length;
  }
  u16(offset: number): number {
    return this.view.getUint16(offset, this.little);
  }
  u32(offset: number): number {
    return this.view.getUint32(offset, this.little);
  }
  setU16(offset: number, value: number): void {
    this.view.setUint16(offset, value, this.little);
  }
  setU32(offset: number, value: number): void {
    this.view.setUint32(offset, value, this.little);
  }
}

export type GpsRemoval = 'removed' | 'none' | 'malformed';

/**
 * Removes the GPS directory from a TIFF/EXIF structure in place. `none` when there was none,
 * `malformed` when the structure cannot be walked safely (the caller must then drop the EXIF).
 */
export function removeGpsInPlace(tiff: Uint8Array): GpsRemoval {
  if (tiff.length < 8) return 'malformed';
  const t = new TiffView(tiff);
  if (t.u16(2) !== 42) return 'malformed';
  const ifd0 = t.u32(4);
  if (!t.fits(ifd0, 2)) return 'malformed';
  const count = t.u16(ifd0);
  if (!t.fits(ifd0 + 2, count * 12 + 4)) return 'malformed';
  let index = -1;
  for (let i = 0; i < count; i += 1) {
    if (t.u16(ifd0 + 2 + i * 12) === GPS_POINTER) index = i;
  }
  if (index < 0) return 'none';
  const gps = t.u32(ifd0 + 2 + index * 12 + 8);
  // Blank the GPS directory and every value it points to.
  if (t.fits(gps, 2)) {
    const entries = t.u16(gps);
    if (t.fits(gps + 2, entries * 12 + 4)) {
      for (let i = 0; i < entries; i += 1) {
        const entry = gps + 2 + i * 12;
        const size = (TYPE_SIZES[t.u16(entry + 2)] ?? 1) * t.u32(entry + 4);
        const valueAt = t.u32(entry + 8);
        if (size > 4 && t.fits(valueAt, size)) tiff.fill(0, valueAt, valueAt + size);
      }
      tiff.fill(0, gps, gps + 2 + entries * 12 + 4);
    }
  }
  // Take the pointer out of IFD0: later entries move up one slot, the count drops by one.
  const entriesStart = ifd0 + 2;
  const next = t.u32(entriesStart + count * 12);
  tiff.copyWithin(
    entriesStart + index * 12,
    entriesStart + (index + 1) * 12,
    entriesStart + count * 12,
  );
  t.setU16(ifd0, count - 1);
  t.setU32(entriesStart + (count - 1) * 12, next);
  tiff.fill(0, entriesStart + (count - 1) * 12 + 4, entriesStart + count * 12 + 4);
  return 'removed';
}

/** Sets the Orientation tag in IFD0 to 1 (upright), in place, for pixels that were rotated. */
export function setUprightInPlace(tiff: Uint8Array): void {
  if (tiff.length < 8) return;
  const t = new TiffView(tiff);
  const ifd0 = t.u32(4);
  if (!t.fits(ifd0, 2)) return;
  const count = t.u16(ifd0);
  if (!t.fits(ifd0 + 2, count * 12)) return;
  for (let i = 0; i < count; i += 1) {
    const entry = ifd0 + 2 + i * 12;
    if (t.u16(entry) === ORIENTATION && t.u16(entry + 2) === 3) t.setU16(entry + 8, 1);
  }
}

/** True when the EXIF blob has a GPS directory (read-only: works on a copy). */
export function exifHasGps(blob: Uint8Array): boolean {
  const start = tiffStart(blob);
  if (start === undefined) return false;
  return removeGpsInPlace(copyBytes(blob, start)) === 'removed';
}
