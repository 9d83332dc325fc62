// Knows a file's real type from its first bytes, never from its name: a PNG called .jpg is a PNG,
// and a text file called .png is refused with a sentence that says what it actually is. Formats
// we recognise but cannot read (PSD, JPEG XL, camera RAW…) are named in the refusal too.
import { fail } from '../../../contract/errors.ts';

export type SourceFormat =
  'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' | 'heic' | 'svg' | 'bmp';

export const FORMAT_LABELS: Record<SourceFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  tiff: 'TIFF',
  avif: 'AVIF',
  heic: 'HEIC',
  svg: 'SVG',
  bmp: 'BMP',
};

/** How many leading bytes detection looks at (an SVG may open with a long XML prologue). */
export const SNIFF_BYTES = 4096;

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const VIDEO_BRANDS = /^(isom|iso\d|mp4\d|mp41|mp42|qt {2}|M4V |M4A |3gp\d|3g2\w|avc1|dash|f4v )$/;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((value, i) => bytes[at + i] === value);
}

/** The ISO-BMFF brands (major first) when the bytes open with an `ftyp` box, else undefined. */
function ftypBrands(head: Uint8Array): string[] | undefined {
  if (head.length < 16 || ascii(head, 4, 8) !== 'ftyp') return undefined;
  const boxSize =
    ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
  const end = Math.min(head.length, boxSize > 16 ? boxSize : 16);
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  return brands;
}

function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 512);
  if (sample.length === 0) return false;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c)
      return false;
  }
  return true;
}

function looksLikeSvg(head: Uint8Array): boolean {
  let text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  return text.startsWith('<') && /<svg[\s>]/i.test(text);
}

/**
 * The source format of a file from its leading bytes (at least SNIFF_BYTES when the file is that
 * long). Throws EngineFailure `not_image` for anything that is not an image and `unsupported` for
 * image formats GenQueue recognises but cannot read; every message names the file.
 */
export function detectFormat(head: Uint8Array, name: string, size: number): SourceFormat {
  if (size === 0)
    fail('not_image', `${name} is empty: the file has 0 bytes, so there is no image in it.`);
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    if (ascii(head, 8, 10) === 'CR') {
      fail('unsupported', `${name} is a Canon RAW photo; export it as JPEG or TIFF first.`);
    }
    return 'tiff';
  }
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26) return 'bmp';
  const brands = ftypBrands(head);
  if (brands) {
    const isHeic = brands.some((brand) => HEIC_BRANDS.has(brand));
    const isAvif = brands.some((brand) => AVIF_BRANDS.has(brand));
    if (isAvif && (AVIF_BRANDS.has(brands[0] ?? '') || !brands.some((b) => b.startsWith('he')))) {
      return 'avif';
    }
    if (isHeic) return 'heic';
    if (brands.includes('crx ')) {
      fail('unsupported', `${name} is a Canon RAW photo; export it as JPEG or TIFF first.`);
    }
    if (brands.some((brand) => VIDEO_BRANDS.test(brand))) {
      fail('not_image', `${name} is not an image: it is a video file.`);
    }
    fail('unsupported', `${name} is an ISO media file of a kind GenQueue cannot read.`);
  }
  if (ascii(head, 0, 4) === '8BPS') {
    fail('unsupported', `${name} is a Photoshop document; export it as PNG or JPEG first.`);
  }
  if (startsWith(head, [0xff, 0x0a]) || ascii(head, 4, 8) === 'JXL ') {
    fail('unsupported', `${name} is a JPEG XL image, which GenQueue cannot convert yet.`);
  }
  if (ascii(head, 4, 8) === 'jP  ' || startsWith(head, [0xff, 0x4f, 0xff, 0x51])) {
    fail('unsupported', `${name} is a JPEG 2000 image, which GenQueue cannot convert.`);
  }
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00]) || startsWith(head, [0x00, 0x00, 0x02, 0x00])) {
    fail('unsupported', `${name} is a Windows icon, which GenQueue cannot convert.`);
  }
  if (ascii(head, 0, 5) === '%PDF-')
    fail('not_image', `${name} is not an image: it is a PDF document.`);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    fail('not_image', `${name} is not an image: it is a ZIP archive (or an Office document).`);
  }
  if (looksLikeSvg(head)) return 'svg';
  if (looksLikeText(head)) {
    fail('not_image', `${name} is not an image: it starts with the bytes of a text file.`);
  }
  return fail(
    'not_image',
    `${name} is not an image: its bytes match no image format GenQueue knows.`,
  );
}
