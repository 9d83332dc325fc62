// Huffman tables for a JPEG's entropy-coded data: fast decoding look-ups for the tables a file
// brings (its DHT segments), and optimal tables (ITU T.81 Annex K.2) for a file being written,
// built from how often each symbol occurs. Part of the lossless turn (transform.ts).

/** Huffman codes up to this many bits (with their value bits, often) decode with one look-up. */
export const LOOKAHEAD_BITS = 10;
export const LOOKAHEAD_MASK = (1 << LOOKAHEAD_BITS) - 1;

export interface HuffmanDecoder {
  /** For each LOOKAHEAD_BITS window: (code length << 8) | symbol, or 0 when the code is longer. */
  lookup: Int32Array;
  /**
   * For each window holding a whole code and the value bits after it: (value << 16) |
   * (run << 8) | bits used, as `decodeCoded` returns; 0 otherwise. EOB and ZRL have value 0.
   */
  withValue: Int32Array;
  /** 1 for the symbols this table's class allows in 8-bit data. */
  valid: Uint8Array;
  /** Largest code of each length (index 1–16), −1 when there is none. */
  maxCode: Int32Array;
  /** Index into `symbols` of a code of each length, minus that code. */
  symbolOffset: Int32Array;
  symbols: Uint8Array;
}

/** A Huffman table as DHT stores it. */
interface TableSpec {
  counts: Uint8Array;
  symbols: Uint8Array;
}

export interface HuffmanEncoder {
  spec: TableSpec;
  codes: Int32Array;
  sizes: Uint8Array;
}

/**
 * Decoding tables for the canonical code DHT describes (ITU T.81 Annex C and F.2.2.3); undefined
 * when the counts describe no valid code.
 */
export function huffmanDecoder(
  tableClass: number,
  counts: Uint8Array,
  symbols: Uint8Array,
): HuffmanDecoder | undefined {
  const lookup = new Int32Array(1 << LOOKAHEAD_BITS);
  const withValue = new Int32Array(1 << LOOKAHEAD_BITS);
  const valid = Uint8Array.from({ length: 256 }, (_, symbol) =>
    Number(tableClass === 0 ? symbol <= 11 : (symbol & 15) <= 10),
  );
  const maxCode = new Int32Array(17).fill(-1);
  const symbolOffset = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length += 1) {
    const count = counts[length - 1] ?? 0;
    symbolOffset[length] = index - code;
    for (let i = 0; i < count; i += 1) {
      if (code >= 1 << length) return undefined; // more codes than the length has room for
      const symbol = symbols[index] ?? 0;
      if (length <= LOOKAHEAD_BITS) {
        const shift = LOOKAHEAD_BITS - length;
        lookup.fill((length << 8) | symbol, code << shift, (code + 1) << shift);
        if (valid[symbol]) fillWithValue(withValue, code, length, symbol);
      }
      code += 1;
      index += 1;
    }
    if (count > 0) maxCode[length] = code - 1;
    code <<= 1;
  }
  return { lookup, withValue, valid, maxCode, symbolOffset, symbols };
}

/** Fills the look-up windows that start with `code` and also hold the value bits after it. */
function fillWithValue(withValue: Int32Array, code: number, length: number, symbol: number): void {
  const size = symbol & 15;
  const used = length + size;
  if (used > LOOKAHEAD_BITS) return;
  const first = code << (LOOKAHEAD_BITS - length);
  const windows = 1 << (LOOKAHEAD_BITS - length);
  for (let i = 0; i < windows; i += 1) {
    const bits = (i >> (LOOKAHEAD_BITS - used)) & ((1 << size) - 1);
    withValue[first + i] = (extend(bits, size) << 16) | ((symbol >> 4) << 8) | used;
  }
}

/** The signed value that `size` value bits stand for (ITU T.81 F.2.2.1, EXTEND). */
export function extend(bits: number, size: number): number {
  if (size === 0) return 0;
  return bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
}

/** Bits needed for |value| (its JPEG size category). */
export function bitLength(value: number): number {
  return 32 - Math.clz32(value < 0 ? -value : value);
}

/** The optimal table for these frequencies, with its canonical codes (ITU T.81 Annex C). */
export function optimalEncoder(frequencies: Float64Array): HuffmanEncoder {
  const spec = optimalTable(frequencies);
  const codes = new Int32Array(256);
  const sizes = new Uint8Array(256);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length += 1) {
    for (let i = 0; i < (spec.counts[length - 1] ?? 0); i += 1) {
      const symbol = spec.symbols[index] ?? 0;
      codes[symbol] = code;
      sizes[symbol] = length;
      code += 1;
      index += 1;
    }
    code <<= 1;
  }
  return { spec, codes, sizes };
}

/**
 * The optimal table for these symbol frequencies (ITU T.81 Annex K.2): Huffman code lengths, one
 * reserved all-ones code, then lengths limited to 16 bits.
 */
function optimalTable(frequencies: Float64Array): TableSpec {
  const lengths = huffmanCodeLengths(frequencies);
  const counts = limitCodeLengths(lengths);
  const symbols: number[] = [];
  for (let length = 1; length < lengths.length; length += 1) {
    for (let symbol = 0; symbol < 256; symbol += 1) {
      if (lengths[symbol] === length) symbols.push(symbol);
    }
  }
  return { counts, symbols: Uint8Array.from(symbols) };
}

/** Code length of each of the 256 symbols plus the reserved one (index 256); 0 when unused. */
function huffmanCodeLengths(frequencies: Float64Array): Int32Array {
  const weight = Float64Array.from(frequencies);
  weight[256] = 1;
  const lengths = new Int32Array(257);
  const next = new Int32Array(257).fill(-1);
  for (;;) {
    const [first, second] = twoLightest(weight);
    if (second < 0) return lengths;
    weight[first]! += weight[second]!;
    weight[second] = 0;
    next[deepen(first, lengths, next)] = second;
    deepen(second, lengths, next);
  }
}

/** Adds a bit to the code of every symbol in the chain from `member`; returns the chain's last. */
function deepen(member: number, lengths: Int32Array, next: Int32Array): number {
  for (let at = member; ; at = next[at]!) {
    lengths[at]! += 1;
    if (next[at]! < 0) return at;
  }
}

/** The two lightest non-zero weights (ties go to the higher symbol, as in Annex K.2). */
function twoLightest(weight: Float64Array): [number, number] {
  let first = -1;
  let second = -1;
  for (let symbol = 0; symbol < weight.length; symbol += 1) {
    const w = weight[symbol]!;
    if (w === 0) continue;
    if (first < 0 || w <= weight[first]!) {
      second = first;
      first = symbol;
    } else if (second < 0 || w <= weight[second]!) {
      second = symbol;
    }
  }
  return [first, second];
}

/** How many codes of each length 1–16, after moving longer codes up (K.2 Figure K.3). */
function limitCodeLengths(lengths: Int32Array): Uint8Array {
  const bits = new Int32Array(258);
  for (const length of lengths) if (length > 0) bits[length]! += 1;
  for (let length = bits.length - 1; length > 16; length -= 1) {
    while (bits[length]! > 0) {
      let shorter = length - 2;
      while (bits[shorter] === 0) shorter -= 1;
      bits[length]! -= 2;
      bits[length - 1]! += 1;
      bits[shorter + 1]! += 2;
      bits[shorter]! -= 1;
    }
  }
  let longest = 16;
  while (bits[longest] === 0) longest -= 1;
  bits[longest]! -= 1; // the reserved code
  return Uint8Array.from(bits.subarray(1, 17));
}
