// The upright image's DCT coefficients between reading and writing: kept compactly block by block
// (most are zero), counted for the optimal Huffman tables, and Huffman-coded again in the upright
// scan's order. Long loops run in slices so the engine's thread keeps serving the app meanwhile.
import type { JpegWriter } from './bits.ts';
import { bitLength, type HuffmanEncoder } from './huffman.ts';

/**
 * Blocks handled between two turns of the event loop (~20 ms of work here): the engine shares its
 * thread with the app's windows and the queue, which must not stall for a whole photo's turn.
 */
const BLOCKS_PER_SLICE = 16_384;

/** Runs `work` over [0, count) in slices, letting the event loop run between them. */
export async function inSlices(
  count: number,
  work: (from: number, to: number) => void,
): Promise<void> {
  for (let from = 0; from < count; from += BLOCKS_PER_SLICE) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    work(from, Math.min(count, from + BLOCKS_PER_SLICE));
  }
}

/** A `MovedBlocks` byte that ends a block whose last coefficients are zeros, coded as EOB. */
const END_WITH_EOB = 0x00;
/** A `MovedBlocks` byte that ends a block whose last coefficient is not zero. */
const END = 0x01;
/** A `MovedBlocks` byte saying the next two hold an entry whose value is outside −8…7. */
const WIDE = 0x02;
/** A `MovedBlocks` entry that stands for sixteen zeros (value 0, run 15). */
const ZRL_ENTRY = 0x0f;
/** The most bytes one block can take: 63 wide entries and its end. */
const MAX_BLOCK_BYTES = 63 * 3 + 1;

/**
 * The upright image's blocks, kept sparsely (most coefficients are zero): per block, numbered in
 * the upright grids, its DC value and a run of bytes in `entries`. Each non-zero AC coefficient,
 * in zigzag order, is an entry (value << 4) | zeros before it (0–15): one byte when its value
 * fits four bits, else WIDE and the entry's two bytes. ZRL_ENTRY stands for sixteen zeros, and
 * END_WITH_EOB or END closes the block. The entry bytes never look like these markers, since only
 * ZRL has value 0.
 */
export class MovedBlocks {
  readonly dc: Int16Array;
  readonly firstEntry: Int32Array;
  entries: Int8Array;
  /** How often each AC symbol occurs, per component (block order does not change them). */
  readonly acFrequencies: Float64Array[];
  private used = 0;

  constructor(blockCount: number, componentCount: number, expectedBytes: number) {
    this.dc = new Int16Array(blockCount);
    this.firstEntry = new Int32Array(blockCount);
    this.entries = new Int8Array(Math.max(expectedBytes, MAX_BLOCK_BYTES));
    this.acFrequencies = Array.from({ length: componentCount }, () => new Float64Array(257));
  }

  /**
   * Keeps block number `index` of `component`, given whole in `block` (zigzag order, its non-zero
   * AC positions marked in `nonZero` as decodeBlock leaves them), and clears the block's AC
   * coefficients for the next one. Only the marked positions are visited, in zigzag order.
   */
  keep(index: number, component: number, block: Int16Array, nonZero: Int32Array): void {
    if (this.used + MAX_BLOCK_BYTES > this.entries.length) this.grow();
    const { entries } = this;
    const counts = this.acFrequencies[component]!;
    let at = this.used;
    let last = 0;
    for (let word = 0; word < 2; word += 1) {
      for (let bits = nonZero[word]!; bits !== 0; bits &= bits - 1) {
        const k = word * 32 + 31 - Math.clz32(bits & -bits);
        const value = block[k]!;
        block[k] = 0;
        let run = k - last - 1;
        for (; run > 15; run -= 16) {
          entries[at] = ZRL_ENTRY;
          at += 1;
          counts[0xf0]! += 1;
        }
        const entry = (value << 4) | run;
        if (value >= -8 && value <= 7) {
          entries[at] = entry;
          at += 1;
        } else {
          entries[at] = WIDE;
          entries[at + 1] = entry >> 8;
          entries[at + 2] = entry;
          at += 3;
        }
        counts[(run << 4) | bitLength(value)]! += 1;
        last = k;
      }
    }
    const endsInZeros = last < 63;
    if (endsInZeros) counts[0]! += 1;
    entries[at] = endsInZeros ? END_WITH_EOB : END;
    this.dc[index] = block[0]!;
    this.firstEntry[index] = this.used;
    this.used = at + 1;
  }

  private grow(): void {
    const bigger = new Int8Array(this.entries.length * 2);
    bigger.set(this.entries.subarray(0, this.used));
    this.entries = bigger;
  }
}

/** How often each DC difference category occurs in the upright scan (`order`), per table. */
export function countDcSymbols(
  blocks: MovedBlocks,
  order: Int32Array,
  tableOf: number[],
): Float64Array[] {
  const counts = Array.from({ length: Math.max(...tableOf) + 1 }, () => new Float64Array(257));
  const predictors = new Int32Array(tableOf.length);
  for (const entry of order) {
    const component = entry & 3;
    const value = blocks.dc[entry >> 2]!;
    counts[tableOf[component] ?? 0]![bitLength(value - predictors[component]!)]! += 1;
    predictors[component] = value;
  }
  return counts;
}

/** How often each AC symbol occurs, per table: the sum over the components that share it. */
export function acSymbolsPerTable(blocks: MovedBlocks, tableOf: number[]): Float64Array[] {
  const counts = Array.from({ length: Math.max(...tableOf) + 1 }, () => new Float64Array(257));
  blocks.acFrequencies.forEach((frequencies, component) => {
    const table = counts[tableOf[component] ?? 0]!;
    frequencies.forEach((count, symbol) => (table[symbol]! += count));
  });
  return counts;
}

/** Huffman-codes every block, in the upright scan's order (`order`), with no restart markers. */
export async function encodeScan(
  out: JpegWriter,
  blocks: MovedBlocks,
  order: Int32Array,
  tableOf: number[],
  dcEncoders: HuffmanEncoder[],
  acEncoders: HuffmanEncoder[],
): Promise<void> {
  const predictors = new Int32Array(tableOf.length);
  const encodeSlice = (from: number, to: number) => {
    for (let at = from; at < to; at += 1) {
      const entry = order[at]!;
      const component = entry & 3;
      const index = entry >> 2;
      const table = tableOf[component] ?? 0;
      const value = blocks.dc[index]!;
      const difference = value - predictors[component]!;
      writeCoded(out, dcEncoders[table]!, bitLength(difference), difference);
      predictors[component] = value;
      encodeAc(out, blocks, index, acEncoders[table]!);
    }
  };
  await inSlices(order.length, encodeSlice);
  out.flushBits();
}

/** Codes the AC coefficients of block number `index`. */
function encodeAc(
  out: JpegWriter,
  blocks: MovedBlocks,
  index: number,
  encoder: HuffmanEncoder,
): void {
  const { entries } = blocks;
  for (let at = blocks.firstEntry[index]!; ;) {
    let entry = entries[at]!;
    if (entry === END_WITH_EOB) return writeCoded(out, encoder, 0x00, 0);
    if (entry === END) return;
    if (entry === WIDE) {
      entry = (entries[at + 1]! << 8) | (entries[at + 2]! & 0xff);
      at += 3;
    } else {
      at += 1;
    }
    const value = entry >> 4;
    const symbol = value === 0 ? 0xf0 : ((entry & 15) << 4) | bitLength(value);
    writeCoded(out, encoder, symbol, value);
  }
}

/** Writes a symbol's code, then the bits of `value` its low four bits ask for. */
function writeCoded(out: JpegWriter, encoder: HuffmanEncoder, symbol: number, value: number): void {
  const size = symbol & 15;
  const code = encoder.codes[symbol]!;
  const codeSize = encoder.sizes[symbol]!;
  const bits = (value < 0 ? value - 1 : value) & ((1 << size) - 1);
  if (codeSize + size <= 24) {
    out.bits((code << size) | bits, codeSize + size);
  } else {
    out.bits(code, codeSize);
    out.bits(bits, size);
  }
}
