// The one walk over a JPEG's marker segments, without decoding it, and the one reader of its
// quantisation tables. Every JPEG reader in preflight stands on them: the metadata rewrite and the
// pass-through check (the whole file, to EOI), the header facts below (quality, so a re-encode
// never goes above it; components and sampling, for the memory estimate) and the lossless turn.

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;
export const DQT = 0xdb;
export const DHT = 0xc4;
export const RST0 = 0xd0;
const TEM = 0x01;

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF that opens the marker. */
  start: number;
  /** The bytes after the length field (for SOS: the scan header only); empty for SOI, EOI, RSTn. */
  body: Uint8Array;
  /**
   * Offset just past the segment (for SOS in a whole-file walk: past the entropy-coded data that
   * follows it). Past the end of the bytes only for the last segment of a walk that was `cut`.
   */
  end: number;
}

export interface JpegWalk {
  /** SOI, then every segment in file order, standalone markers (TEM, RSTn) included. */
  segments: JpegSegment[];
  /**
   * Where the walk ended: after the first scan's header (`scan`, when walking up to it), after
   * EOI, at bytes that are not a marker segment (`broken`: no decoder reads on either), or where
   * the bytes run out (`cut`).
   */
  stop: 'scan' | 'eoi' | 'broken' | 'cut';
}

/** Markers that stand alone, without a length: TEM and the restart markers. */
export function isStandalone(marker: number): boolean {
  return marker === TEM || (marker & 0xf8) === RST0;
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
 * Walks a JPEG's marker segments from SOI, skipping fill bytes: `upTo` 'scan' stops after the
 * first scan's header (all a header reader needs, and all a 256 KB head may hold); 'eoi' goes
 * through every scan's entropy-coded data to EOI. It only follows the structure: what a caller
 * cannot use (a standalone marker before the scan, a progressive frame…) is for it to refuse.
 */
export function walkJpeg(bytes: Uint8Array, upTo: 'scan' | 'eoi'): JpegWalk {
  const segments: JpegSegment[] = [];
  const done = (stop: JpegWalk['stop']): JpegWalk => ({ segments, stop });
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return done('broken');
  segments.push({ marker: SOI, start: 0, body: bytes.subarray(2, 2), end: 2 });
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return done('broken');
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === SOI) return done('broken'); // a second SOI
    if (marker === EOI || isStandalone(marker)) {
      segments.push({ marker, start: at, body: bytes.subarray(at + 2, at + 2), end: at + 2 });
      if (marker === EOI) return done('eoi');
      at += 2;
      continue;
    }
    if (at + 3 >= bytes.length) return done('cut');
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    if (length < 2) return done('broken');
    const headerEnd = at + 2 + length;
    const segment = { marker, start: at, body: bytes.subarray(at + 4, headerEnd), end: headerEnd };
    segments.push(segment);
    if (headerEnd > bytes.length) return done('cut');
    if (marker === SOS) {
      if (upTo === 'scan') return done('scan');
      segment.end = skipEntropyData(bytes, headerEnd);
    }
    at = segment.end;
  }
  return done('cut');
}

export interface JpegStructure {
  segments: JpegSegment[];
  /** Offset just past EOI; anything after it is a trailer (gain maps, vendor data). */
  end: number;
}

/**
 * The segments of a whole JPEG file, through every scan, up to EOI. Undefined when the structure
 * is broken or cut short (the caller then lets the decoder produce the real error).
 */
export function parseJpeg(bytes: Uint8Array): JpegStructure | undefined {
  const { segments, stop } = walkJpeg(bytes, 'eoi');
  const eoi = segments.at(-1);
  return stop === 'eoi' && eoi ? { segments, end: eoi.end } : undefined;
}

export interface QuantTable {
  id: number;
  sixteenBit: boolean;
  /** Quantiser steps in zigzag order. */
  steps: Uint16Array;
}

/**
 * The quantisation tables of a DQT segment's body, in order. `whole` is false when something
 * else follows them: a table with a bad precision or id, or one cut short.
 */
export function readQuantTables(body: Uint8Array): { tables: QuantTable[]; whole: boolean } {
  const tables: QuantTable[] = [];
  for (let at = 0; at < body.length;) {
    const precision = (body[at] ?? 0) >> 4;
    const id = (body[at] ?? 0) & 0x0f;
    const size = precision === 1 ? 128 : 64;
    if (precision > 1 || id > 3 || at + 1 + size > body.length) return { tables, whole: false };
    const steps = new Uint16Array(64);
    for (let i = 0; i < 64; i += 1) {
      steps[i] =
        precision === 1
          ? ((body[at + 1 + 2 * i] ?? 0) << 8) | (body[at + 2 + 2 * i] ?? 0)
          : (body[at + 1 + i] ?? 0);
    }
    tables.push({ id, sixteenBit: precision === 1, steps });
    at += 1 + size;
  }
  return { tables, whole: true };
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
function qualityFromTable(table: Uint16Array): number {
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

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== DHT && marker !== 0xc8 && marker !== 0xcc;
}

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

/**
 * Quality and frame facts from the segments before the first scan, which the file's first bytes
 * (`head`) normally hold; what they do not hold keeps its default.
 */
export function readJpegHeader(head: Uint8Array): JpegHeader {
  const header: JpegHeader = {
    quality: undefined,
    components: 3,
    progressive: false,
    samplesPerPixel: 3,
  };
  for (const { marker, body } of walkJpeg(head, 'scan').segments) {
    if (marker === DQT && header.quality === undefined) {
      for (const table of readQuantTables(body).tables) {
        if (table.id === 0) header.quality = qualityFromTable(table.steps);
      }
    }
    if (isSof(marker)) readFrame(header, marker, body);
  }
  return header;
}
