// Reads a JPEG's marker segments without decoding it: the quantisation tables give the quality it
// was saved at (so a re-encode never goes above it and grows the file), dropping segments removes
// metadata losslessly, and a file turned upright (jpeg-transform.ts) is marked upright here.
import type { MetadataPolicy } from './metadata.ts';
import { copyBytes, removeGpsInPlace, setUprightInPlace, tiffStart } from './exif.ts';

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF that opens the marker. */
  start: number;
  /** Offset just past the segment (for SOS: past the entropy-coded data that follows it). */
  end: number;
}

export interface JpegStructure {
  segments: JpegSegment[];
  /** Offset just past EOI; anything after it is a trailer (gain maps, vendor data). */
  end: number;
}

export interface JpegHeader {
  /** IJG-equivalent quality 1–100 estimated from the luminance table, when one was found. */
  quality: number | undefined;
  components: number;
  /** Progressive coding: the decoder then holds every DCT coefficient of the image at once. */
  progressive: boolean;
  /** Samples stored per pixel over all components (1.5 for 4:2:0 colour, 3 for 4:4:4). */
  samplesPerPixel: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DQT = 0xdb;

function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Offset just past the entropy-coded data that starts at `from`: the next real marker. */
function skipEntropyData(bytes: Uint8Array, from: number): number {
  let at = bytes.indexOf(0xff, from);
  while (at >= 0 && at + 1 < bytes.length) {
    const next = bytes[at + 1] ?? 0;
    if (next !== 0 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return at;
    at = bytes.indexOf(0xff, at + 1);
  }
  return bytes.length;
}

/**
 * Walks the segments of a whole JPEG file, through every scan, up to EOI. Returns undefined when
 * the structure is broken (the caller then lets the decoder produce the real error).
 */
export function parseJpeg(bytes: Uint8Array): JpegStructure | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return undefined;
  const segments: JpegSegment[] = [{ marker: SOI, start: 0, end: 2 }];
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === EOI) {
      segments.push({ marker, start: at, end: at + 2 });
      return { segments, end: at + 2 };
    }
    if (isStandalone(marker)) {
      segments.push({ marker, start: at, end: at + 2 });
      at += 2;
      continue;
    }
    if (at + 3 >= bytes.length) return undefined;
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    if (length < 2) return undefined;
    let end = at + 2 + length;
    if (end > bytes.length) return undefined;
    if (marker === SOS) end = skipEntropyData(bytes, end);
    segments.push({ marker, start: at, end });
    at = end;
  }
  return undefined;
}

// The IJG standard luminance table (ITU T.81 Annex K), the basis of libjpeg's quality scale.
const STD_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

function scaledTableSum(quality: number): number {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  let sum = 0;
  for (const value of STD_LUMINANCE) {
    sum += Math.min(255, Math.max(1, Math.floor((value * scale + 50) / 100)));
  }
  return sum;
}
const SCALED_SUMS = Array.from({ length: 100 }, (_, i) => scaledTableSum(i + 1));

/** The libjpeg quality whose luminance table is closest (by sum) to the given one. */
export function qualityFromTable(table: readonly number[]): number {
  const sum = table.reduce((total, value) => total + value, 0);
  let best = 100;
  let bestDistance = Number.POSITIVE_INFINITY;
  SCALED_SUMS.forEach((candidate, i) => {
    const distance = Math.abs(candidate - sum);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i + 1;
    }
  });
  return best;
}

/** Quality and component count from the header segments (before the first scan). */
/** Components, coding and sampling from a start-of-frame segment's body. */
function readFrame(header: JpegHeader, marker: number, body: Uint8Array): void {
  const count = body[5] ?? 3;
  const factors = Array.from({ length: count }, (_, i) => {
    const sampling = body[7 + 3 * i] ?? 0x11;
    return Math.max(1, sampling >> 4) * Math.max(1, sampling & 15);
  });
  const most = Math.max(1, ...factors);
  header.components = count;
  header.progressive = (marker & 0x03) === 0x02; // SOF2, SOF6, SOF10, SOF14
  header.samplesPerPixel = factors.reduce((sum, factor) => sum + factor / most, 0) || count;
}

export function readJpegHeader(head: Uint8Array): JpegHeader {
  const header: JpegHeader = {
    quality: undefined,
    components: 3,
    progressive: false,
    samplesPerPixel: 3,
  };
  let at = 2;
  while (at + 3 < head.length) {
    if (head[at] !== 0xff) break;
    const marker = head[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (isStandalone(marker) || marker === SOI) {
      at += 2;
      continue;
    }
    if (marker === SOS || marker === EOI) break;
    const length = ((head[at + 2] ?? 0) << 8) | (head[at + 3] ?? 0);
    const body = head.subarray(at + 4, at + 2 + length);
    if (marker === DQT && header.quality === undefined) {
      let p = 0;
      while (p < body.length) {
        const pq = (body[p] ?? 0) >> 4;
        const tq = (body[p] ?? 0) & 0x0f;
        const size = pq ? 128 : 64;
        if (p + 1 + size > body.length) break;
        if (tq === 0) {
          const table: number[] = [];
          for (let i = 0; i < 64; i += 1) {
            table.push(
              pq
                ? ((body[p + 1 + i * 2] ?? 0) << 8) | (body[p + 2 + i * 2] ?? 0)
                : (body[p + 1 + i] ?? 0),
            );
          }
          header.quality = qualityFromTable(table);
        }
        p += 1 + size;
      }
    }
    if (isSof(marker)) readFrame(header, marker, body);
    at += 2 + length;
  }
  return header;
}

function app(bytes: Uint8Array, segment: JpegSegment, signature: string): boolean {
  if (segment.end - segment.start < 4 + signature.length) return false;
  for (let i = 0; i < signature.length; i += 1) {
    if (bytes[segment.start + 4 + i] !== signature.charCodeAt(i)) return false;
  }
  return true;
}

/** What a lossless metadata rewrite removed. */
export interface JpegRewrite {
  bytes: Uint8Array;
  removedGps: boolean;
  removedMetadata: boolean;
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
): JpegRewrite {
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
        const start = tiffStart(body);
        const outcome = start === undefined ? 'malformed' : removeGpsInPlace(body.subarray(start));
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
  return { bytes: changed ? concat(kept) : bytes, removedGps, removedMetadata };
}

function hasGpsSegment(bytes: Uint8Array, segment: JpegSegment): boolean {
  const body = copyBytes(bytes, segment.start + 4, segment.end);
  if (app(bytes, segment, 'Exif')) {
    const start = tiffStart(body);
    return start !== undefined && removeGpsInPlace(body.subarray(start)) === 'removed';
  }
  return xmpHasGps(body);
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

/** Sets every tiff:Orientation in an XMP packet to 1, in place (one digit for another). */
export function uprightXmpInPlace(xmp: Uint8Array): void {
  const text = Buffer.from(xmp.buffer, xmp.byteOffset, xmp.byteLength).toString('latin1');
  for (const match of text.matchAll(/tiff:Orientation(?:>|=["'])\d/g)) {
    xmp[match.index + match[0].length - 1] = 0x31; // '1'
  }
}

/** True when an XMP packet carries GPS coordinates (exif:GPSLatitude and friends). */
export function xmpHasGps(xmp: Uint8Array): boolean {
  return /GPS(Latitude|Longitude|Altitude|Position)/i.test(Buffer.from(xmp).toString('latin1'));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
