// Removes private metadata from JPEG, PNG and WebP files without touching their pixels, by
// dropping or blanking the containers' own chunks. Used both for files that need nothing else
// (a lossless path) and to take GPS out of a re-encoded file when the user keeps metadata.
import { crc32 } from 'node:zlib';
import { removeGpsInPlace, tiffStart } from './exif.ts';
import { parseJpeg, rewriteJpegMetadata, xmpHasGps } from './jpeg.ts';

/** The user's metadata setting: strip everything, keep all but GPS, or keep everything. */
export type MetadataPolicy = 'strip' | 'keep' | 'keep-with-gps';

export interface MetadataRewrite {
  bytes: Uint8Array;
  removedGps: boolean;
  removedMetadata: boolean;
}

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

/** Blanks GPS inside an EXIF body in place; `malformed` means the body must be dropped. */
function scrubExif(body: Uint8Array): 'removed' | 'none' | 'malformed' {
  const start = tiffStart(body);
  return start === undefined ? 'malformed' : removeGpsInPlace(body.subarray(start));
}

const PNG_TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function rewritePng(bytes: Uint8Array, policy: MetadataPolicy): MetadataRewrite | undefined {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let removedGps = false;
  let removedMetadata = false;
  let at = 8;
  while (at + 12 <= bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at);
    const length = view.getUint32(0);
    const end = at + 12 + length;
    if (end > bytes.length) return undefined;
    const type = ascii(bytes, at + 4, 4);
    let chunk = bytes.subarray(at, end);
    if (policy === 'strip' && PNG_TEXT_CHUNKS.has(type)) {
      removedMetadata = true;
      if (type === 'eXIf' && scrubExif(chunk.slice(8, 8 + length)) === 'removed') removedGps = true;
      if (type === 'iTXt' && xmpHasGps(chunk.subarray(8, 8 + length))) removedGps = true;
      chunk = new Uint8Array(0);
    } else if (policy === 'keep' && type === 'eXIf') {
      const copy = chunk.slice();
      const outcome = scrubExif(copy.subarray(8, 8 + length));
      if (outcome === 'removed') {
        new DataView(copy.buffer).setUint32(8 + length, crc32(copy.subarray(4, 8 + length)));
        chunk = copy;
        removedGps = true;
      } else if (outcome === 'malformed') {
        chunk = new Uint8Array(0);
        removedMetadata = true;
      }
    } else if (policy === 'keep' && type === 'iTXt' && xmpHasGps(chunk.subarray(8, 8 + length))) {
      chunk = new Uint8Array(0);
      removedGps = true;
    }
    parts.push(chunk);
    at = end;
    if (type === 'IEND') break;
  }
  if (at < bytes.length) removedMetadata = true; // bytes after IEND are not part of the image
  return { bytes: Buffer.concat(parts), removedGps, removedMetadata };
}

const WEBP_EXIF_FLAG = 0x08;
const WEBP_XMP_FLAG = 0x04;

function rewriteWebp(bytes: Uint8Array, policy: MetadataPolicy): MetadataRewrite | undefined {
  const parts: Uint8Array[] = [];
  let removedGps = false;
  let removedMetadata = false;
  let clearFlags = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const type = ascii(bytes, at, 4);
    const length = new DataView(bytes.buffer, bytes.byteOffset + at + 4).getUint32(0, true);
    const end = at + 8 + length + (length & 1);
    if (at + 8 + length > bytes.length) return undefined;
    let chunk: Uint8Array = bytes.subarray(at, Math.min(end, bytes.length));
    if (type === 'EXIF' && policy !== 'keep-with-gps') {
      const copy = chunk.slice();
      const outcome = scrubExif(copy.subarray(8, 8 + length));
      if (policy === 'strip' || outcome === 'malformed') {
        chunk = new Uint8Array(0);
        clearFlags |= WEBP_EXIF_FLAG;
        removedMetadata = true;
      } else {
        chunk = copy;
      }
      if (outcome === 'removed') removedGps = true;
    } else if (type === 'XMP ' && policy !== 'keep-with-gps') {
      const gps = xmpHasGps(chunk.subarray(8, 8 + length));
      if (policy === 'strip' || gps) {
        chunk = new Uint8Array(0);
        clearFlags |= WEBP_XMP_FLAG;
        removedMetadata ||= policy === 'strip';
        removedGps ||= gps;
      }
    }
    parts.push(chunk);
    at = end;
  }
  const body = Buffer.concat(parts);
  if (clearFlags && ascii(body, 0, 4) === 'VP8X') body[8] = (body[8] ?? 0) & ~clearFlags;
  const header = Buffer.from(bytes.subarray(0, 12));
  header.writeUInt32LE(body.length + 4, 4);
  return { bytes: Buffer.concat([header, body]), removedGps, removedMetadata };
}

/**
 * Applies the metadata policy to a whole JPEG, PNG or WebP file without re-encoding it.
 * Returns undefined when the container is too damaged to rewrite safely.
 */
export function rewriteMetadata(
  format: 'jpeg' | 'png' | 'webp',
  bytes: Uint8Array,
  policy: MetadataPolicy,
): MetadataRewrite | undefined {
  if (policy === 'keep-with-gps') return { bytes, removedGps: false, removedMetadata: false };
  if (format === 'png') return rewritePng(bytes, policy);
  if (format === 'webp') return rewriteWebp(bytes, policy);
  const structure = parseJpeg(bytes);
  return structure && rewriteJpegMetadata(bytes, structure, policy);
}
