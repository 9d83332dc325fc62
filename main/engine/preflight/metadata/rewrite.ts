// Removes private metadata from JPEG, PNG and WebP files without touching their pixels, by
// dropping or blanking the containers' own segments and chunks. Used both for files that need
// nothing else (a lossless path) and to take GPS out of a re-encoded file when the user keeps
// metadata; a JPEG turned upright losslessly is also marked upright here.
import { crc32 } from 'node:zlib';
import { copyBytes, exifHasGps, removeGpsInPlace, setUprightInPlace, tiffStart } from './exif.ts';
import { parseJpeg, type JpegSegment, type JpegStructure } from '../decoders/jpeg-segments.ts';
import { uprightXmpInPlace, xmpHasGps } from './xmp.ts';

/** The user's metadata setting: strip everything, keep all but GPS, or keep everything. */
export type MetadataPolicy = 'strip' | 'keep' | 'keep-with-gps';

/** What a lossless metadata rewrite removed. */
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
      if (type === 'eXIf' && exifHasGps(chunk.subarray(8, 8 + length))) removedGps = true;
      if (type === 'iTXt' && xmpHasGps(chunk.subarray(8, 8 + length))) removedGps = true;
      chunk = new Uint8Array(0);
    } else if (policy === 'keep' && type === 'eXIf') {
      const copy = copyBytes(chunk, 0);
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
    if (type === 'IEND') {
      if (at < bytes.length) removedMetadata = true; // bytes after IEND are not part of the image
      const changed = removedGps || removedMetadata;
      return { bytes: changed ? Buffer.concat(parts) : bytes, removedGps, removedMetadata };
    }
  }
  return undefined; // no IEND: the file is cut short
}

function app(bytes: Uint8Array, segment: JpegSegment, signature: string): boolean {
  if (segment.end - segment.start < 4 + signature.length) return false;
  for (let i = 0; i < signature.length; i += 1) {
    if (bytes[segment.start + 4 + i] !== signature.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Rewrites a JPEG without re-encoding: under `strip` only what decoding needs survives (JFIF,
 * ICC profile, Adobe colour transform, tables, scans); under `keep` the GPS block inside EXIF is
 * blanked in place and XMP that mentions GPS is dropped; trailers after EOI go in both cases.
 */
export function rewriteJpegMetadata(
  bytes: Uint8Array,
  structure: JpegStructure,
  policy: MetadataPolicy,
): MetadataRewrite {
  const kept: Uint8Array[] = [];
  let removedGps = false;
  let removedMetadata = structure.end < bytes.length;
  for (const segment of structure.segments) {
    const { marker } = segment;
    const isApp = marker >= 0xe0 && marker <= 0xef;
    let keep = true;
    if (policy === 'strip') {
      const needed =
        (marker === 0xe0 && app(bytes, segment, 'JFIF')) ||
        (marker === 0xe2 && app(bytes, segment, 'ICC_PROFILE')) ||
        (marker === 0xee && app(bytes, segment, 'Adobe'));
      if ((isApp && !needed) || marker === 0xfe) {
        keep = false;
        removedMetadata = true;
        if (marker === 0xe1 && hasGpsSegment(bytes, segment)) removedGps = true;
      }
    } else if (policy === 'keep' && marker === 0xe1) {
      const body = copyBytes(bytes, segment.start + 4, segment.end);
      if (app(bytes, segment, 'Exif')) {
        const outcome = scrubExif(body);
        if (outcome === 'removed') {
          kept.push(bytes.subarray(segment.start, segment.start + 4), body);
          removedGps = true;
          continue;
        }
        if (outcome === 'malformed') {
          keep = false;
          removedMetadata = true;
        }
      } else if (app(bytes, segment, 'http://ns.adobe.com/') && xmpHasGps(body)) {
        keep = false;
        removedGps = true;
      }
    }
    if (keep) kept.push(bytes.subarray(segment.start, segment.end));
  }
  const changed = removedGps || removedMetadata;
  return { bytes: changed ? Buffer.concat(kept) : bytes, removedGps, removedMetadata };
}

function hasGpsSegment(bytes: Uint8Array, segment: JpegSegment): boolean {
  const body = bytes.subarray(segment.start + 4, segment.end);
  return app(bytes, segment, 'Exif') ? exifHasGps(body) : xmpHasGps(body);
}

/**
 * Marks a JPEG whose pixels were turned upright as upright, in place: the EXIF Orientation tag and
 * any XMP tiff:Orientation become 1, so no viewer turns the image a second time.
 */
export function markUprightInPlace(bytes: Uint8Array, structure: JpegStructure): void {
  for (const segment of structure.segments) {
    if (segment.marker !== 0xe1) continue;
    const body = bytes.subarray(segment.start + 4, segment.end);
    if (app(bytes, segment, 'Exif')) {
      const start = tiffStart(body);
      if (start !== undefined) setUprightInPlace(body.subarray(start));
    } else if (app(bytes, segment, 'http://ns.adobe.com/')) {
      uprightXmpInPlace(body);
    }
  }
}

const WEBP_EXIF_FLAG = 0x08;
const WEBP_XMP_FLAG = 0x04;

function rewriteWebp(bytes: Uint8Array, policy: MetadataPolicy): MetadataRewrite | undefined {
  if (!containerIsWhole('webp', bytes)) return undefined;
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
      const copy = copyBytes(chunk, 0);
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
  if (!removedGps && !removedMetadata) return { bytes, removedGps, removedMetadata };
  const body = Buffer.concat(parts);
  if (clearFlags && ascii(body, 0, 4) === 'VP8X') body[8] = (body[8] ?? 0) & ~clearFlags;
  const header = Buffer.from(bytes.subarray(0, 12));
  header.writeUInt32LE(body.length + 4, 4);
  return { bytes: Buffer.concat([header, body]), removedGps, removedMetadata };
}

/**
 * True when the file's container is complete (JPEG to EOI, PNG to IEND, WebP to its RIFF size,
 * GIF to its trailer): the check a pass-through gets instead of a decode.
 */
export function containerIsWhole(
  format: 'jpeg' | 'png' | 'webp' | 'gif',
  bytes: Uint8Array,
): boolean {
  if (format === 'gif') return bytes[bytes.length - 1] === 0x3b;
  if (format === 'jpeg') return parseJpeg(bytes) !== undefined;
  if (format === 'webp') {
    return (
      bytes.length >= 12 &&
      new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true) + 8 <= bytes.length
    );
  }
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(0);
    if (ascii(bytes, at + 4, 4) === 'IEND') return true;
    at += 12 + length;
  }
  return false;
}

/**
 * Applies the metadata policy to a whole JPEG, PNG or WebP file without re-encoding it (the very
 * same bytes come back when nothing had to go). Returns undefined when the container is damaged
 * or cut short, so nothing broken is passed through or rewritten.
 */
export function rewriteMetadata(
  format: 'jpeg' | 'png' | 'webp',
  bytes: Uint8Array,
  policy: MetadataPolicy,
): MetadataRewrite | undefined {
  if (policy === 'keep-with-gps') {
    if (!containerIsWhole(format, bytes)) return undefined;
    return { bytes, removedGps: false, removedMetadata: false };
  }
  if (format === 'png') return rewritePng(bytes, policy);
  if (format === 'webp') return rewriteWebp(bytes, policy);
  const structure = parseJpeg(bytes);
  return structure && rewriteJpegMetadata(bytes, structure, policy);
}
