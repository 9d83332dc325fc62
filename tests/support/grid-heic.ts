// Builds grid HEIC files box by box, like the 200-megapixel photos of Samsung phones: no such file
// is in the repository (it would weigh tens of MB). Every tile reuses one real HEVC image copied out
// of the iPhone photo in the corpus — one of its 512 × 512 grid tiles, or its 320 × 240 thumbnail
// (under a third of the pixels, for grids that must decode quickly) — so a file of hundreds of tiles
// stays a few hundred KB on disk and still decodes.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CORPUS } from './paths.ts';

const IPHONE = join(CORPUS, 'heic/mobile/iphone_13_pro_max.HEIC');

/** The coded images a grid can repeat: the iPhone grid's first tile, or its thumbnail. */
const TILES = {
  tile: { item: 1, width: 512, height: 512 },
  thumbnail: { item: 50, width: 320, height: 240 },
} as const;

export type TileSource = keyof typeof TILES;

interface Box {
  type: string;
  start: number;
  body: number;
  end: number;
}

function boxes(bytes: Buffer, start: number, end: number): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    const size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    found.push({ type, start: at, body: at + 8, end: at + size });
    at += size;
  }
  return found;
}

function child(bytes: Buffer, parent: Box, type: string, skip = 0): Box {
  const box = boxes(bytes, parent.body + skip, parent.end).find((b) => b.type === type);
  if (!box) throw new Error(`no ${type} box in ${parent.type}`);
  return box;
}

/**
 * One coded image of the iPhone photo, checked to be the size TILES gives: its hvcC property box
 * (whole) and its coded bytes.
 */
async function iphoneImage(source: TileSource): Promise<{ hvcC: Buffer; data: Buffer }> {
  const { item, width, height } = TILES[source];
  const changed = (what: string) => new Error(`the iPhone fixture changed: ${what}`);
  const file = await readFile(IPHONE);
  const meta = boxes(file, 0, file.length).find((b) => b.type === 'meta')!;
  const iprp = child(file, meta, 'iprp', 4);
  const ipco = child(file, iprp, 'ipco');
  const properties = boxes(file, ipco.body, ipco.end);
  // ipma version 0, 1-byte property indices: the item's entry lists its properties from 1.
  const ipma = child(file, iprp, 'ipma');
  if (file.readUInt32BE(ipma.body) !== 0) throw changed('its ipma is laid out differently');
  let indices: number[] | undefined;
  for (let at = ipma.body + 8, n = file.readUInt32BE(ipma.body + 4); n > 0; n -= 1) {
    const count = file[at + 2]!;
    const listed = [...file.subarray(at + 3, at + 3 + count)].map((index) => index & 0x7f);
    if (file.readUInt16BE(at) === item) indices = listed;
    at += 3 + count;
  }
  const own = (indices ?? []).map((index) => properties[index - 1]!);
  const hvcC = own.find((p) => p.type === 'hvcC');
  const ispe = own.find((p) => p.type === 'ispe');
  if (!hvcC || !ispe) throw changed(`item ${item} has no hvcC or ispe`);
  if (file.readUInt32BE(ispe.body + 4) !== width || file.readUInt32BE(ispe.body + 8) !== height) {
    throw changed(`item ${item} is not ${width} × ${height}`);
  }
  // iloc version 1 with 4-byte offsets and lengths, no base offset, one extent per item.
  const iloc = child(file, meta, 'iloc', 4);
  if (file[iloc.body] !== 1 || file[iloc.body + 4] !== 0x44 || file[iloc.body + 5] !== 0) {
    throw changed('its iloc is laid out differently');
  }
  for (let at = iloc.body + 8, n = file.readUInt16BE(iloc.body + 6); n > 0; n -= 1, at += 16) {
    if (file.readUInt16BE(at + 6) !== 1) throw changed('an item has more than one extent');
    if (file.readUInt16BE(at) !== item) continue;
    const offset = file.readUInt32BE(at + 8);
    const length = file.readUInt32BE(at + 12);
    return {
      hvcC: file.subarray(hvcC.start, hvcC.end),
      data: file.subarray(offset, offset + length),
    };
  }
  throw changed(`item ${item} has no iloc entry`);
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const header = Buffer.alloc(8);
  const body = Buffer.concat(parts);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version << 24) | flags) >>> 0);
  return box(type, head, ...parts);
}

function u16(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => out.writeUInt16BE(value, i * 2));
  return out;
}

function u32(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => out.writeUInt32BE(value, i * 4));
  return out;
}

function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

export interface GridHeicOptions {
  /** The image's size (its `ispe`). */
  width: number;
  height: number;
  /**
   * The coded image every tile repeats: the iPhone's 512 × 512 grid tile (the default) or its
   * 320 × 240 thumbnail.
   */
  tile?: TileSource;
  /**
   * The side its tiles' `ispe` states, square. Unset, the coded image's own size, and the file
   * decodes; any other size makes a header for tests that are refused before decoding.
   */
  tileSide?: number;
  /** Hidden items the grid does not use (as thumbnails and metadata are), each a copy of a tile. */
  extraItems?: number;
}

export interface GridHeic {
  width: number;
  height: number;
  /** The tiles' size, as their `ispe` states it. */
  tileWidth: number;
  tileHeight: number;
  extraItems: number;
  columns: number;
  rows: number;
  tiles: number;
  /** The file's size on disk. */
  bytes: number;
}

/**
 * The meta box of a grid image: item 1 is the grid, items 2… its tiles, then the extra items, all
 * sharing one extent.
 */
function gridMeta(g: GridHeic, hvcC: Buffer, tileLength: number, tileOffset: number): Buffer {
  const tileIds = Array.from({ length: g.tiles }, (_, i) => i + 2);
  const hiddenIds = Array.from({ length: g.tiles + g.extraItems }, (_, i) => i + 2);
  const hdlr = fullBox('hdlr', 0, 0, u32(0), ascii('pict'), u32(0, 0, 0), Buffer.from([0]));
  const infe = (id: number, type: string, hidden: boolean) =>
    fullBox('infe', 2, hidden ? 1 : 0, u16(id, 0), ascii(type), Buffer.from([0]));
  const iinf = fullBox(
    'iinf',
    0,
    0,
    u16(hiddenIds.length + 1),
    infe(1, 'grid', false),
    ...hiddenIds.map((id) => infe(id, 'hvc1', true)),
  );
  const iref = fullBox('iref', 0, 0, box('dimg', u16(1, g.tiles, ...tileIds)));
  const ispe = (width: number, height: number) => fullBox('ispe', 0, 0, u32(width, height));
  // Properties, numbered from 1: the tiles' hvcC and ispe, the grid's ispe.
  const ipco = box('ipco', hvcC, ispe(g.tileWidth, g.tileHeight), ispe(g.width, g.height));
  const associations = [Buffer.concat([u16(1), Buffer.from([1, 3])])];
  for (const id of hiddenIds) {
    associations.push(Buffer.concat([u16(id), Buffer.from([2, 0x81, 2])]));
  }
  const ipma = fullBox('ipma', 0, 0, u32(hiddenIds.length + 1), ...associations);
  // iloc version 1: 4-byte offsets and lengths, no base offset; the grid's descriptor in idat.
  const entry = (id: number, method: number, offset: number, length: number) =>
    Buffer.concat([u16(id, method, 0, 1), u32(offset, length)]);
  const iloc = fullBox(
    'iloc',
    1,
    0,
    Buffer.from([0x44, 0x00]),
    u16(hiddenIds.length + 1),
    entry(1, 1, 0, 8),
    ...hiddenIds.map((id) => entry(id, 0, tileOffset, tileLength)),
  );
  const descriptor = Buffer.concat([
    Buffer.from([0, 0, g.rows - 1, g.columns - 1]),
    u16(g.width, g.height),
  ]);
  return fullBox(
    'meta',
    0,
    0,
    hdlr,
    fullBox('pitm', 0, 0, u16(1)),
    iinf,
    iref,
    box('iprp', ipco, ipma),
    iloc,
    box('idat', descriptor),
  );
}

/**
 * Writes a grid HEIC of `width` × `height`, covered by as many tiles as it takes (512 × 512 unless
 * `tile` or `tileSide` says otherwise).
 */
export async function writeGridHeic(path: string, options: GridHeicOptions): Promise<GridHeic> {
  const source = options.tile ?? 'tile';
  const { hvcC, data } = await iphoneImage(source);
  const tileWidth = options.tileSide ?? TILES[source].width;
  const tileHeight = options.tileSide ?? TILES[source].height;
  const columns = Math.ceil(options.width / tileWidth);
  const rows = Math.ceil(options.height / tileHeight);
  if (columns > 256 || rows > 256) throw new Error('a grid has at most 256 columns and rows');
  const grid: GridHeic = {
    width: options.width,
    height: options.height,
    tileWidth,
    tileHeight,
    extraItems: options.extraItems ?? 0,
    columns,
    rows,
    tiles: columns * rows,
    bytes: 0,
  };
  const ftyp = box('ftyp', ascii('heic'), u32(0), ascii('mif1heic'));
  const placeholder = gridMeta(grid, hvcC, data.length, 0);
  const tileOffset = ftyp.length + placeholder.length + 8;
  const meta = gridMeta(grid, hvcC, data.length, tileOffset);
  const file = Buffer.concat([ftyp, meta, box('mdat', data)]);
  await writeFile(path, file);
  return { ...grid, bytes: file.length };
}
