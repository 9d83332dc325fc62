// Rotates and mirrors a JPEG by moving its DCT coefficients, so a photo that only needs turning
// upright loses nothing to a re-encode (what jpegtran -perfect does). Only single-scan, 8-bit
// Huffman-coded files whose mirrored edges fall on whole MCUs can be turned this way; every other
// file is left to the re-encoding path.
import { EntropyReader, JpegWriter, type CoefficientMap } from './bits.ts';
import { readHeader, refuse, type Frame, type Header } from './header.ts';
import { DHT, DQT, EOI, SOI, SOS, type QuantTable } from '../decoders/jpeg-segments.ts';
import {
  MovedBlocks,
  acSymbolsPerTable,
  countDcSymbols,
  encodeScan,
  inSlices,
} from './coefficients.ts';
import { optimalEncoder, type HuffmanEncoder } from './huffman.ts';

/** Natural (row-major) index of each zigzag position. */
const ZIGZAG_TO_NATURAL = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);
const NATURAL_TO_ZIGZAG = new Uint8Array(64);
ZIGZAG_TO_NATURAL.forEach((natural, zigzag) => (NATURAL_TO_ZIGZAG[natural] = zigzag));

/** The spatial moves that turn an image upright: mirror the source, then maybe transpose it. */
interface Move {
  flipX: boolean;
  flipY: boolean;
  transpose: boolean;
}

/** What each EXIF orientation needs to become upright. */
const MOVES = new Map<number, Move>([
  [2, { flipX: true, flipY: false, transpose: false }],
  [3, { flipX: true, flipY: true, transpose: false }],
  [4, { flipX: false, flipY: true, transpose: false }],
  [5, { flipX: false, flipY: false, transpose: true }],
  [6, { flipX: false, flipY: true, transpose: true }],
  [7, { flipX: true, flipY: true, transpose: true }],
  [8, { flipX: true, flipY: false, transpose: true }],
]);

/** One component's blocks: a grid numbered row by row, from `firstBlock` on. */
interface ComponentGrid {
  /** Blocks of the component in each MCU, across and down (1 × 1 unless interleaved). */
  h: number;
  v: number;
  blocksWide: number;
  blocksHigh: number;
  firstBlock: number;
}

interface Layout {
  grids: ComponentGrid[];
  mcusWide: number;
  mcusHigh: number;
  /** Size of an MCU in pixels (one block for a single-component scan). */
  mcuWidth: number;
  mcuHeight: number;
  blocksPerMcu: number;
  blockCount: number;
}

/** Where a grid's block (x, y) is kept: block number origin + x * stepX + y * stepY. */
interface Placement {
  origin: number;
  stepX: number;
  stepY: number;
}

/**
 * The upright version of a JPEG whose EXIF orientation is `orientation` (2–8), made by moving
 * DCT coefficients, so no pixel is re-encoded. Undefined when that cannot be done perfectly: the
 * file is not a single-scan 8-bit Huffman JPEG (baseline or extended) with one or three
 * components, its data is damaged or truncated, or an edge the move mirrors is not a whole number
 * of MCUs. APPn and COM segments are kept byte for byte (EXIF is not touched); restart markers and
 * anything after EOI are dropped, and the Huffman tables are rebuilt optimally.
 */
export async function uprightJpeg(
  bytes: Uint8Array,
  orientation: number,
): Promise<Uint8Array | undefined> {
  const move = MOVES.get(orientation);
  if (!move) return undefined;
  try {
    return await transform(bytes, move);
  } catch {
    // A refusal, or anything else unexpected (even an allocation too large), leaves the file to
    // the re-encoding path.
    return undefined;
  }
}

async function transform(bytes: Uint8Array, move: Move): Promise<Uint8Array> {
  const header = readHeader(bytes);
  const source = layoutOf(header.frame);
  requireWholeMcusOnMirroredEdges(header.frame, source, move);
  const frame = movedFrame(header.frame, move);
  const upright = layoutOf(frame);
  const map = coefficientMap(move);
  const blocks = await decodeMoved(bytes, header, source, upright, move, map);
  const order = codingOrder(upright, upright.grids.map(inPlace));
  const tableOf = frame.components.map((_, index) => (index === 0 ? 0 : 1));
  const dcEncoders = countDcSymbols(blocks, order, tableOf).map(optimalEncoder);
  const acEncoders = acSymbolsPerTable(blocks, tableOf).map(optimalEncoder);
  const out = new JpegWriter(bytes.length + 4096);
  out.append([0xff, SOI]);
  for (const segment of header.metadata) out.append(segment);
  writeQuantTables(out, frame, header.quantTables, map);
  writeFrame(out, frame);
  writeHuffmanTables(out, dcEncoders, acEncoders);
  writeScanHeader(out, frame, tableOf);
  await encodeScan(out, blocks, order, tableOf, dcEncoders, acEncoders);
  out.append([0xff, EOI]);
  return out.result();
}

/**
 * Block grids of every component. An interleaved scan pads each grid to whole MCUs; a
 * single-component scan codes just the blocks the image covers.
 */
function layoutOf(frame: Frame): Layout {
  const { width, height, components } = frame;
  const interleaved = components.length > 1;
  const hMax = Math.max(...components.map((component) => component.h));
  const vMax = Math.max(...components.map((component) => component.v));
  const mcuWidth = interleaved ? 8 * hMax : 8;
  const mcuHeight = interleaved ? 8 * vMax : 8;
  const mcusWide = Math.ceil(width / mcuWidth);
  const mcusHigh = Math.ceil(height / mcuHeight);
  let firstBlock = 0;
  const grids = components.map((component) => {
    const h = interleaved ? component.h : 1;
    const v = interleaved ? component.v : 1;
    const grid = { h, v, blocksWide: mcusWide * h, blocksHigh: mcusHigh * v, firstBlock };
    firstBlock += grid.blocksWide * grid.blocksHigh;
    return grid;
  });
  const blocksPerMcu = grids.reduce((sum, grid) => sum + grid.h * grid.v, 0);
  return {
    grids,
    mcusWide,
    mcusHigh,
    mcuWidth,
    mcuHeight,
    blocksPerMcu,
    blockCount: firstBlock,
  };
}

/**
 * A mirrored axis must end on an MCU boundary: otherwise the padding blocks past the image's edge
 * would become its first blocks. An axis that is only transposed keeps its padding at the end.
 */
function requireWholeMcusOnMirroredEdges(frame: Frame, layout: Layout, move: Move): void {
  if (move.flipX && frame.width % layout.mcuWidth !== 0) refuse('width is not whole MCUs');
  if (move.flipY && frame.height % layout.mcuHeight !== 0) refuse('height is not whole MCUs');
}

/** The frame after the move: a transpose swaps the size and every sampling factor. */
function movedFrame(frame: Frame, move: Move): Frame {
  if (!move.transpose) return frame;
  return {
    marker: frame.marker,
    width: frame.height,
    height: frame.width,
    components: frame.components.map((component) => ({
      ...component,
      h: component.v,
      v: component.h,
    })),
  };
}

/**
 * Every block of a scan over `layout`, in coding order, as (number << 2) | component, where
 * `placements` give each component's block numbers (a frame has far fewer than 2^29 blocks).
 */
function codingOrder(layout: Layout, placements: Placement[]): Int32Array {
  const { grids } = layout;
  const order = new Int32Array(layout.blockCount);
  let at = 0;
  for (let mcuY = 0; mcuY < layout.mcusHigh; mcuY += 1) {
    for (let mcuX = 0; mcuX < layout.mcusWide; mcuX += 1) {
      for (let component = 0; component < grids.length; component += 1) {
        const { h, v } = grids[component]!;
        const { origin, stepX, stepY } = placements[component]!;
        for (let y = mcuY * v; y < (mcuY + 1) * v; y += 1) {
          for (let x = mcuX * h; x < (mcuX + 1) * h; x += 1) {
            order[at] = ((origin + x * stepX + y * stepY) << 2) | component;
            at += 1;
          }
        }
      }
    }
  }
  return order;
}

/** The block numbers of `grid` itself: row by row. */
function inPlace(grid: ComponentGrid): Placement {
  return { origin: grid.firstBlock, stepX: 1, stepY: grid.blocksWide };
}

/**
 * Where the source grid's blocks go in `moved` (that grid after `move`): mirrored, then maybe
 * transposed.
 */
function movedPlacement(moved: ComponentGrid, move: Move): Placement {
  const sourceWide = move.transpose ? moved.blocksHigh : moved.blocksWide;
  const sourceHigh = move.transpose ? moved.blocksWide : moved.blocksHigh;
  const unitX = move.transpose ? moved.blocksWide : 1;
  const unitY = move.transpose ? 1 : moved.blocksWide;
  return {
    origin:
      moved.firstBlock +
      (move.flipX ? (sourceWide - 1) * unitX : 0) +
      (move.flipY ? (sourceHigh - 1) * unitY : 0),
    stepX: move.flipX ? -unitX : unitX,
    stepY: move.flipY ? -unitY : unitY,
  };
}

/**
 * How the move rearranges one block's coefficients C[v][u]: mirroring across x negates the odd
 * horizontal frequencies (u), across y the odd vertical ones (v); a transpose swaps u and v.
 */
function coefficientMap(move: Move): CoefficientMap {
  const to = new Uint8Array(64);
  const negate = new Uint8Array(64);
  for (let k = 0; k < 64; k += 1) {
    const natural = ZIGZAG_TO_NATURAL[k] ?? 0;
    const row = natural >> 3;
    const column = natural & 7;
    to[k] = NATURAL_TO_ZIGZAG[move.transpose ? column * 8 + row : natural] ?? 0;
    negate[k] = Number((move.flipX && column % 2 === 1) !== (move.flipY && row % 2 === 1));
  }
  return { to, negate };
}

/** Decodes the scan over `source`, keeping each block moved to its place in `upright`. */
async function decodeMoved(
  bytes: Uint8Array,
  header: Header,
  source: Layout,
  upright: Layout,
  move: Move,
  map: CoefficientMap,
): Promise<MovedBlocks> {
  const componentCount = header.frame.components.length;
  const dataBytes = bytes.length - header.dataStart;
  // Every block takes at least two bits (a DC code and an EOB), so a header promising more blocks
  // than that is refused before anything is allocated for them.
  if (upright.blockCount > dataBytes * 4) refuse('too little data for the frame');
  // Each non-zero coefficient takes at least two bits and mostly one byte here; photos average
  // about four bits a coefficient, so twice the data is room enough unless the file is unusual.
  const moved = new MovedBlocks(upright.blockCount, componentCount, dataBytes * 2);
  const block = new Int16Array(64);
  const nonZero = new Int32Array(2);
  const reader = new EntropyReader(bytes, header.dataStart);
  const predictors = new Int32Array(componentCount);
  const blocksPerInterval = header.restartInterval * source.blocksPerMcu;
  const { dcDecoders, acDecoders } = header;
  const order = codingOrder(
    source,
    upright.grids.map((grid) => movedPlacement(grid, move)),
  );
  const decodeSlice = (from: number, to: number) => {
    for (let decoded = from; decoded < to; decoded += 1) {
      if (blocksPerInterval > 0 && decoded > 0 && decoded % blocksPerInterval === 0) {
        reader.restart((decoded / blocksPerInterval - 1) % 8);
        predictors.fill(0);
      }
      const component = order[decoded]! & 3;
      reader.decodeBlock(dcDecoders[component]!, acDecoders[component]!, map, block, nonZero);
      const value = predictors[component]! + block[0]!;
      // 8-bit samples give DC values in [−1024, 1016], so differences always fit category 11.
      if (value < -1024 || value > 1023) refuse('DC out of range');
      block[0] = value;
      predictors[component] = value;
      moved.keep(order[decoded]! >> 2, component, block, nonZero);
    }
  };
  await inSlices(order.length, decodeSlice);
  reader.finish();
  return moved;
}

function writeSegment(out: JpegWriter, marker: number, body: number[]): void {
  const length = body.length + 2;
  out.append([0xff, marker, length >> 8, length & 0xff]);
  out.append(body);
}

/** The quantisation tables the components use, moved like the coefficients (signs aside). */
function writeQuantTables(
  out: JpegWriter,
  frame: Frame,
  tables: (QuantTable | undefined)[],
  map: CoefficientMap,
): void {
  const body: number[] = [];
  const ids = [...new Set(frame.components.map(({ quantId }) => quantId))].sort((a, b) => a - b);
  for (const id of ids) {
    const table = tables[id];
    if (!table) return refuse('missing quantisation table');
    const moved = new Uint16Array(64);
    table.steps.forEach((step, k) => (moved[map.to[k] ?? 0] = step));
    body.push((table.sixteenBit ? 0x10 : 0) | id);
    for (const step of moved) {
      if (table.sixteenBit) body.push(step >> 8, step & 0xff);
      else body.push(step);
    }
  }
  writeSegment(out, DQT, body);
}

function writeFrame(out: JpegWriter, frame: Frame): void {
  const { width, height, components } = frame;
  writeSegment(out, frame.marker, [
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    components.length,
    ...components.flatMap(({ id, h, v, quantId }) => [id, (h << 4) | v, quantId]),
  ]);
}

function writeHuffmanTables(
  out: JpegWriter,
  dcEncoders: HuffmanEncoder[],
  acEncoders: HuffmanEncoder[],
): void {
  const body: number[] = [];
  dcEncoders.forEach(({ spec }, id) => body.push(id, ...spec.counts, ...spec.symbols));
  acEncoders.forEach(({ spec }, id) => body.push(0x10 | id, ...spec.counts, ...spec.symbols));
  writeSegment(out, DHT, body);
}

function writeScanHeader(out: JpegWriter, frame: Frame, tableOf: number[]): void {
  const { components } = frame;
  writeSegment(out, SOS, [
    components.length,
    ...components.flatMap(({ id }, i) => [id, ((tableOf[i] ?? 0) << 4) | (tableOf[i] ?? 0)]),
    0,
    63,
    0,
  ]);
}
