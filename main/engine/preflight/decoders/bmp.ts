// Decodes Windows BMP files, which sharp's prebuilt libvips cannot read: uncompressed 1/4/8-bit
// palette, 16/24/32-bit and bit-field images, bottom-up or top-down. RLE-compressed BMPs (rare,
// from old paint programs) are refused with a sentence rather than guessed at.
import { fail } from '../../../contract/errors.ts';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  hasAlpha: boolean;
}

export interface BmpPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

interface Layout extends BmpHeader {
  topDown: boolean;
  compression: number;
  dataOffset: number;
  headerSize: number;
  masks: [number, number, number, number] | undefined;
  paletteAt: number;
  paletteSize: number;
  paletteEntry: number;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

function layout(bytes: Uint8Array, name: string): Layout {
  if (bytes.length < 26) fail('corrupt', `${name} is damaged: its BMP header is cut short.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const core = headerSize === 12;
  if (!core && bytes.length < 14 + 40)
    fail('corrupt', `${name} is damaged: its BMP header is cut short.`);
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(20, true) : view.getInt32(22, true);
  const bitsPerPixel = core ? view.getUint16(24, true) : view.getUint16(28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  let masks: Layout['masks'];
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const at = 14 + 40;
    if (bytes.length < at + 16) fail('corrupt', `${name} is damaged: its BMP header is cut short.`);
    const alpha =
      headerSize >= 56 || compression === BI_ALPHABITFIELDS ? view.getUint32(at + 12, true) : 0;
    masks = [
      view.getUint32(at, true),
      view.getUint32(at + 4, true),
      view.getUint32(at + 8, true),
      alpha,
    ];
  } else if (bitsPerPixel === 16) {
    masks = [0x7c00, 0x03e0, 0x001f, 0];
  }
  const colours = core ? 0 : view.getUint32(46, true);
  const paletteEntry = core ? 3 : 4;
  const extraMasks =
    headerSize === 40 && compression === BI_BITFIELDS
      ? 12
      : headerSize === 40 && compression === BI_ALPHABITFIELDS
        ? 16
        : 0;
  return {
    width,
    height: Math.abs(rawHeight),
    bitsPerPixel,
    hasAlpha: bitsPerPixel === 32 && (compression === BI_RGB || (masks?.[3] ?? 0) !== 0),
    topDown: rawHeight < 0,
    compression,
    dataOffset,
    headerSize,
    masks,
    paletteAt: 14 + headerSize + extraMasks,
    paletteSize: bitsPerPixel <= 8 ? colours || 1 << bitsPerPixel : 0,
    paletteEntry,
  };
}

/** Size and depth from the header alone (no pixels touched). */
export function readBmpHeader(bytes: Uint8Array, name: string): BmpHeader {
  const { width, height, bitsPerPixel, hasAlpha, compression } = layout(bytes, name);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    fail('unsupported', `${name} is a compressed (RLE) BMP, which GenQueue cannot convert.`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel) || width <= 0 || height <= 0) {
    fail('corrupt', `${name} is damaged: its BMP header describes an impossible image.`);
  }
  return { width, height, bitsPerPixel, hasAlpha };
}

function channelReader(mask: number): (value: number) => number {
  if (mask === 0) return () => 255;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift += 1;
  const max = mask >>> shift;
  return (value) => Math.round((((value & mask) >>> shift) * 255) / max);
}

/** Decodes the whole image to 8-bit RGB or RGBA, top row first. */
export function decodeBmp(bytes: Uint8Array, name: string): BmpPixels {
  readBmpHeader(bytes, name);
  const l = layout(bytes, name);
  const { width, height, bitsPerPixel } = l;
  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  if (l.dataOffset + stride * height > bytes.length) {
    fail(
      'corrupt',
      `${name} is damaged: its BMP pixel data ends early, as if the file was cut short.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const palette: number[][] = [];
  for (let i = 0; i < l.paletteSize; i += 1) {
    const at = l.paletteAt + i * l.paletteEntry;
    palette.push([bytes[at + 2] ?? 0, bytes[at + 1] ?? 0, bytes[at] ?? 0]);
  }
  const [r, g, b, a] = (l.masks ?? [0, 0, 0, 0]).map(channelReader) as [
    (v: number) => number,
    (v: number) => number,
    (v: number) => number,
    (v: number) => number,
  ];
  const channels = l.hasAlpha ? 4 : 3;
  const out = Buffer.alloc(width * height * channels);
  let anyAlpha = false;
  for (let y = 0; y < height; y += 1) {
    const row = l.dataOffset + (l.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x += 1) {
      const o = (y * width + x) * channels;
      if (bitsPerPixel <= 8) {
        const bit = x * bitsPerPixel;
        const byte = bytes[row + (bit >> 3)] ?? 0;
        const index = (byte >> (8 - bitsPerPixel - (bit & 7))) & ((1 << bitsPerPixel) - 1);
        const colour = palette[index] ?? [0, 0, 0];
        out[o] = colour[0] ?? 0;
        out[o + 1] = colour[1] ?? 0;
        out[o + 2] = colour[2] ?? 0;
      } else if (bitsPerPixel === 24 || (bitsPerPixel === 32 && l.compression === BI_RGB)) {
        const at = row + x * (bitsPerPixel / 8);
        out[o] = bytes[at + 2] ?? 0;
        out[o + 1] = bytes[at + 1] ?? 0;
        out[o + 2] = bytes[at] ?? 0;
        if (channels === 4) {
          out[o + 3] = bytes[at + 3] ?? 0;
          anyAlpha ||= out[o + 3] !== 0;
        }
      } else {
        const value =
          bitsPerPixel === 16
            ? view.getUint16(row + x * 2, true)
            : view.getUint32(row + x * 4, true);
        out[o] = r(value);
        out[o + 1] = g(value);
        out[o + 2] = b(value);
        if (channels === 4) {
          out[o + 3] = a(value);
          anyAlpha = true;
        }
      }
    }
  }
  // Most 32-bit BMPs leave the fourth byte at zero: that is padding, not a transparent image.
  if (channels === 4 && !anyAlpha) {
    for (let i = 3; i < out.length; i += 4) out[i] = 255;
  }
  return { data: out, width, height, channels };
}
