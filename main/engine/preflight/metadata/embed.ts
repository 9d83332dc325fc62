// Carries kept metadata into a freshly encoded JPEG or PNG when the user keeps it: sharp cannot
// attach a raw EXIF block to decoded pixels, so the EXIF (marked upright, GPS gone unless allowed)
// and XMP are written into the encoded file's own segments or chunks afterwards.
import { crc32 } from 'node:zlib';
import { copyBytes, removeGpsInPlace, setUprightInPlace, tiffStart } from './exif.ts';
import type { MetadataPolicy } from './rewrite.ts';
import { uprightXmpInPlace, xmpHasGps } from './xmp.ts';

const XMP_SIGNATURE = 'http://ns.adobe.com/xap/1.0/\0';
const APP_LIMIT = 65_533;

/** The EXIF (upright, GPS gone unless allowed) and XMP a re-encoded file may carry. */
function keptMetadata(
  exif: Uint8Array | undefined,
  xmp: Uint8Array | undefined,
  policy: MetadataPolicy,
): { tiff?: Uint8Array; xmp?: Buffer } {
  const kept: { tiff?: Uint8Array; xmp?: Buffer } = {};
  const start = exif && tiffStart(exif);
  if (exif && start !== undefined) {
    const tiff = copyBytes(exif, start);
    setUprightInPlace(tiff);
    if (policy === 'keep-with-gps' || removeGpsInPlace(tiff) !== 'malformed') kept.tiff = tiff;
  }
  if (xmp && (policy === 'keep-with-gps' || !xmpHasGps(xmp))) {
    // The pixels are upright now: an XMP orientation must not rotate them a second time.
    kept.xmp = Buffer.from(xmp);
    uprightXmpInPlace(kept.xmp);
  }
  return kept;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

function jpegApp1(signature: string, data: Uint8Array): Buffer | undefined {
  const length = 2 + signature.length + data.length;
  if (length > APP_LIMIT) return undefined;
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(length, 2);
  return Buffer.concat([head, Buffer.from(signature, 'latin1'), data]);
}

/**
 * Puts kept EXIF and XMP into a freshly encoded JPEG or PNG (sharp cannot attach a raw EXIF
 * block to decoded pixels). Returns the new bytes and whether anything was carried.
 */
export function embedMetadata(
  encoded: Buffer,
  format: 'jpeg' | 'png',
  exif: Uint8Array | undefined,
  xmp: Uint8Array | undefined,
  policy: Exclude<MetadataPolicy, 'strip'>,
): { bytes: Buffer; carried: boolean } {
  const kept = keptMetadata(exif, xmp, policy);
  const blocks: Buffer[] = [];
  if (format === 'jpeg') {
    const exifSegment = kept.tiff && jpegApp1('Exif\0\0', kept.tiff);
    const xmpSegment = kept.xmp && jpegApp1(XMP_SIGNATURE, kept.xmp);
    if (exifSegment) blocks.push(exifSegment);
    if (xmpSegment) blocks.push(xmpSegment);
    if (blocks.length === 0) return { bytes: encoded, carried: false };
    // After SOI and a JFIF APP0, where readers look for them.
    const jfif = encoded[3] === 0xe0 ? 4 + encoded.readUInt16BE(4) : 2;
    return {
      bytes: Buffer.concat([encoded.subarray(0, jfif), ...blocks, encoded.subarray(jfif)]),
      carried: true,
    };
  }
  if (kept.tiff) blocks.push(pngChunk('eXIf', kept.tiff));
  if (kept.xmp) {
    const header = Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1');
    blocks.push(pngChunk('iTXt', Buffer.concat([header, kept.xmp])));
  }
  if (blocks.length === 0) return { bytes: encoded, carried: false };
  const afterIhdr = 8 + 12 + encoded.readUInt32BE(8);
  return {
    bytes: Buffer.concat([encoded.subarray(0, afterIhdr), ...blocks, encoded.subarray(afterIhdr)]),
    carried: true,
  };
}
