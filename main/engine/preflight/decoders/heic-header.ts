// Reads how a HEIC's primary image is stored — its size (`ispe`), and for a grid its tile count
// (its `dimg` references) — by walking the ISOBMFF boxes itself: sharp's libheif refuses a grid of
// hundreds of tiles (a 200-megapixel Samsung photo) before telling anything, and GenQueue must then
// judge the file by its own limits and, if it refuses, say which one.
import { fail } from '../../../contract/errors.ts';
import { openRegular } from '../../ingest/regular-file.ts';
import { MAX_HEIC_ITEMS, MAX_HEIC_TILES, megapixels } from './heic.ts';

export interface HeicLayout {
  /** The primary image's size as its `ispe` property states it (before rotation). */
  width: number;
  height: number;
  /** Items in the file: the image, its tiles, thumbnails, metadata. */
  items: number;
  /** The tiles of a grid image; 0 when the primary image is not a grid. */
  tiles: number;
}

/** The meta box of a file larger than this is not read: no real photo has one near it. */
const MAX_META_BYTES = 16 * 1024 * 1024;

interface Box {
  type: string;
  /** Where the box's content starts (after its header) and ends. */
  body: number;
  end: number;
}

function children(view: DataView, start: number, end: number): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    let size = view.getUint32(at);
    let body = at + 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      body += 8;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at || at + size > end) throw new RangeError('a box overruns its parent');
    const type = String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + at + 4, 4));
    found.push({ type, body, end: at + size });
    at += size;
  }
  return found;
}

const find = (boxes: Box[], type: string) => boxes.find((box) => box.type === type);

/** An item ID: 16 bits in version 0 of pitm, iinf entries, iref and ipma, else 32. */
function itemId(view: DataView, at: number, wide: boolean): number {
  return wide ? view.getUint32(at) : view.getUint16(at);
}

/** Item types by ID, from the `infe` entries of iinf (versions 2 and 3 name a type). */
function itemTypes(view: DataView, iinf: Box): Map<number, string> {
  const version = view.getUint8(iinf.body);
  const types = new Map<number, string>();
  for (const infe of children(view, iinf.body + (version === 0 ? 6 : 8), iinf.end)) {
    const infeVersion = view.getUint8(infe.body);
    if (infe.type !== 'infe' || infeVersion < 2) continue;
    const wide = infeVersion >= 3;
    const id = itemId(view, infe.body + 4, wide);
    const typeAt = infe.body + 4 + (wide ? 4 : 2) + 2;
    types.set(id, String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + typeAt, 4)));
  }
  return types;
}

/** How many `dimg` references (a grid's tiles, in order) item `from` has. */
function dimgCount(view: DataView, iref: Box | undefined, from: number): number {
  if (!iref) return 0;
  const wide = view.getUint8(iref.body) !== 0;
  const size = wide ? 4 : 2;
  for (const ref of children(view, iref.body + 4, iref.end)) {
    if (ref.type === 'dimg' && itemId(view, ref.body, wide) === from) {
      return view.getUint16(ref.body + size);
    }
  }
  return 0;
}

/** The `ispe` (width, height) among the properties ipma associates with item `id`. */
function itemSize(view: DataView, iprp: Box, id: number): [number, number] | undefined {
  const parts = children(view, iprp.body, iprp.end);
  const ipco = find(parts, 'ipco');
  const ipma = find(parts, 'ipma');
  if (!ipco || !ipma) return undefined;
  const properties = children(view, ipco.body, ipco.end);
  const wide = view.getUint8(ipma.body) >= 1;
  const bigIndex = (view.getUint32(ipma.body) & 1) === 1;
  let at = ipma.body + 8;
  for (let entry = view.getUint32(ipma.body + 4); entry > 0; entry -= 1) {
    const item = itemId(view, at, wide);
    at += wide ? 4 : 2;
    const count = view.getUint8(at);
    at += 1;
    for (let i = 0; i < count; i += 1) {
      const index = bigIndex ? view.getUint16(at) & 0x7fff : view.getUint8(at) & 0x7f;
      at += bigIndex ? 2 : 1;
      const property = properties[index - 1];
      if (item === id && property?.type === 'ispe') {
        return [view.getUint32(property.body + 4), view.getUint32(property.body + 8)];
      }
    }
  }
  return undefined;
}

/** The layout stated by a `meta` box (`view` spans the whole box); undefined if it says none. */
export function parseHeicMeta(view: DataView): HeicLayout | undefined {
  try {
    const [meta] = children(view, 0, view.byteLength);
    if (meta?.type !== 'meta') return undefined;
    const boxes = children(view, meta.body + 4, meta.end);
    const pitm = find(boxes, 'pitm');
    const iinf = find(boxes, 'iinf');
    const iprp = find(boxes, 'iprp');
    if (!pitm || !iinf || !iprp) return undefined;
    const primary = itemId(view, pitm.body + 4, view.getUint8(pitm.body) !== 0);
    const size = itemSize(view, iprp, primary);
    if (!size) return undefined;
    const items =
      view.getUint8(iinf.body) === 0
        ? view.getUint16(iinf.body + 4)
        : view.getUint32(iinf.body + 4);
    const grid = itemTypes(view, iinf).get(primary) === 'grid';
    const tiles = grid ? dimgCount(view, find(boxes, 'iref'), primary) : 0;
    return { width: size[0], height: size[1], items, tiles };
  } catch (error) {
    if (error instanceof RangeError) return undefined; // a box or field past the end
    throw error;
  }
}

type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

/** The top-level `meta` box, found by reading box headers from the start; undefined if none. */
async function findMeta(readAt: ReadAt, size: number): Promise<DataView | undefined> {
  for (let at = 0; at + 8 <= size;) {
    const header = await readAt(at, 16);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let length = view.getUint32(0);
    if (length === 1 && header.length === 16) length = Number(view.getBigUint64(8));
    else if (length === 0) length = size - at;
    if (length < 8 || at + length > size) return undefined;
    if (String.fromCharCode(...header.subarray(4, 8)) === 'meta') {
      if (length > MAX_META_BYTES) return undefined;
      const meta = await readAt(at, length);
      return meta.length === length
        ? new DataView(meta.buffer, meta.byteOffset, meta.byteLength)
        : undefined;
    }
    at += length;
  }
  return undefined;
}

/**
 * A file's layout, from its bytes when they are in memory, else read from `path` (only the box
 * headers before `meta`, and `meta`); undefined when its header states none GenQueue can read.
 */
export async function readHeicLayout(
  bytes: Uint8Array | undefined,
  path: string,
): Promise<HeicLayout | undefined> {
  if (bytes) {
    const meta = await findMeta(
      async (at, length) => bytes.subarray(at, at + length),
      bytes.length,
    );
    return meta && parseHeicMeta(meta);
  }
  let handle;
  try {
    handle = await openRegular(path);
    const file = handle;
    const { size } = await file.stat();
    const readAt = async (at: number, length: number) => {
      const buffer = Buffer.alloc(Math.min(length, size - at));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
      return buffer.subarray(0, bytesRead);
    };
    const meta = await findMeta(readAt, size);
    return meta && parseHeicMeta(meta);
  } catch {
    return undefined; // unreadable now: the decoder's own complaint stands
  } finally {
    await handle?.close();
  }
}

/**
 * Refuses, in one sentence naming `name`, a layout beyond what GenQueue's HEIC decoder takes
 * (decoders/heic.ts raises libheif's own limits to these).
 */
export function checkHeicLayout(layout: HeicLayout, name: string): void {
  const { width, height, tiles, items } = layout;
  if (tiles > MAX_HEIC_TILES) {
    const size = `${megapixels(width * height)}, ${width} × ${height}`;
    fail(
      'too_many_pixels',
      `${name} is a grid of ${tiles} tiles (${size}); GenQueue's HEIC decoder takes at most ${MAX_HEIC_TILES} tiles.`,
    );
  }
  if (items > MAX_HEIC_ITEMS) {
    fail(
      'too_many_pixels',
      `${name} holds ${items} items (images, thumbnails, metadata); GenQueue's HEIC decoder takes at most ${MAX_HEIC_ITEMS} items.`,
    );
  }
}
