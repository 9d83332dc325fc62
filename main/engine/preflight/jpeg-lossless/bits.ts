// Bit-level reading and writing of a JPEG's entropy-coded data: the reader undoes byte stuffing,
// decodes each block's Huffman symbols and notices data that ends early; the writer stuffs bytes
// and grows its buffer as needed. Part of the lossless turn (transform.ts).
import { refuse } from './header.ts';
import { EOI, RST0 } from '../decoders/jpeg-segments.ts';
import { LOOKAHEAD_BITS, LOOKAHEAD_MASK, extend, type HuffmanDecoder } from './huffman.ts';

/** Where each zigzag position of a source block goes in the moved block, and whether it flips sign. */
export interface CoefficientMap {
  to: Uint8Array;
  negate: Uint8Array;
}

/** Reads entropy-coded bits, undoing byte stuffing, and notices where the data ends. */
export class EntropyReader {
  private readonly bytes: Uint8Array;
  private position: number;
  /** Unread bits are the low `bitCount` bits of `buffer`. */
  private buffer = 0;
  private bitCount = 0;
  /** Zero bits fed in after the data ran into a marker or the end of the file. */
  private paddingBits = 0;
  private atMarker = false;

  constructor(bytes: Uint8Array, start: number) {
    this.bytes = bytes;
    this.position = start;
  }

  /**
   * Decodes one block into `block`, moved by `map` (zigzag order), with its DC difference in
   * block[0]; marks the moved zigzag index of each non-zero AC coefficient in `nonZero`, a bit
   * mask of positions 0–31 and 32–63.
   */
  decodeBlock(
    dc: HuffmanDecoder,
    ac: HuffmanDecoder,
    map: CoefficientMap,
    block: Int16Array,
    nonZero: Int32Array,
  ): void {
    const { to, negate } = map;
    block[0] = this.decodeCoded(dc) >> 16;
    let low = 0;
    let high = 0;
    for (let k = 1; k < 64; k += 1) {
      const coded = this.decodeCoded(ac);
      const run = (coded >> 8) & 15;
      if ((coded & ~0xffff) === 0) {
        if (run !== 15) break; // EOB
        k += 15; // ZRL: sixteen zeros
        continue;
      }
      k += run;
      if (k > 63) refuse('too many coefficients');
      const value = coded >> 16;
      const movedTo = to[k]!;
      block[movedTo] = negate[k] ? -value : value;
      if (movedTo < 32) low |= 1 << movedTo;
      else high |= 1 << (movedTo - 32);
    }
    if (this.paddingBits > this.bitCount) refuse('entropy data ends early');
    nonZero[0] = low;
    nonZero[1] = high;
  }

  /** The next symbol and its value bits, packed as (value << 16) | (run << 8). */
  private decodeCoded(table: HuffmanDecoder): number {
    if (this.bitCount < 16) this.fill();
    const entry =
      table.withValue[(this.buffer >>> (this.bitCount - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK]!;
    if (entry !== 0) {
      this.bitCount -= entry & 0xff;
      return entry & ~0xff;
    }
    const symbol = this.decodeSymbol(table);
    if (!table.valid[symbol]) refuse('symbol out of range');
    const size = symbol & 15;
    if (this.bitCount < size) this.fill();
    this.bitCount -= size;
    const bits = (this.buffer >>> this.bitCount) & ((1 << size) - 1);
    return (extend(bits, size) << 16) | ((symbol >> 4) << 8);
  }

  private decodeSymbol(table: HuffmanDecoder): number {
    const entry =
      table.lookup[(this.buffer >>> (this.bitCount - LOOKAHEAD_BITS)) & LOOKAHEAD_MASK]!;
    if (entry === 0) return this.decodeLongSymbol(table);
    this.bitCount -= entry >> 8;
    return entry & 0xff;
  }

  /** Checks the interval ended cleanly and steps over the RSTn marker that must follow it. */
  restart(expected: number): void {
    this.skipToMarker();
    if (this.bytes[this.position + 1] !== RST0 + expected) refuse('missing restart marker');
    this.position += 2;
    this.buffer = 0;
    this.bitCount = 0;
    this.paddingBits = 0;
    this.atMarker = false;
  }

  /** Checks the scan ended cleanly and that EOI follows it. */
  finish(): void {
    this.skipToMarker();
    if (this.bytes[this.position + 1] !== EOI) refuse('something other than EOI after the scan');
  }

  /** Only the bits padding the last byte may be left, and the next thing must be a marker. */
  private skipToMarker(): void {
    this.fill();
    if (this.paddingBits > this.bitCount) refuse('entropy data ends early');
    if (this.bitCount - this.paddingBits >= 8) refuse('extra entropy data');
    while (this.bytes[this.position + 1] === 0xff) this.position += 1;
  }

  private decodeLongSymbol(table: HuffmanDecoder): number {
    const window = (this.buffer >>> (this.bitCount - 16)) & 0xffff;
    for (let length = LOOKAHEAD_BITS + 1; length <= 16; length += 1) {
      const code = window >>> (16 - length);
      if (code <= table.maxCode[length]!) {
        this.bitCount -= length;
        return table.symbols[table.symbolOffset[length]! + code]!;
      }
    }
    return refuse('invalid Huffman code');
  }

  /** Tops the buffer up to more than 24 bits. */
  private fill(): void {
    const { bytes } = this;
    while (this.bitCount <= 24) {
      const byte = bytes[this.position];
      if (byte === undefined || byte === 0xff) {
        this.buffer = (this.buffer << 8) | this.byteAfterFf();
      } else {
        this.position += 1;
        this.buffer = (this.buffer << 8) | byte;
      }
      this.bitCount += 8;
    }
  }

  /** At 0xFF (or the end): a stuffed 0xFF, else zero padding from the marker (or end) on. */
  private byteAfterFf(): number {
    if (!this.atMarker) {
      const { bytes, position } = this;
      if (bytes[position] === 0xff && bytes[position + 1] === 0) {
        this.position = position + 2;
        return 0xff;
      }
      this.atMarker = true;
    }
    this.paddingBits += 8;
    return 0;
  }
}

/** The output file: bytes, and entropy-coded bits, appended to a buffer that grows as needed. */
export class JpegWriter {
  private bytes: Uint8Array;
  private length = 0;
  /** Pending entropy-coded bits are the low `bitCount` (at most 32) bits of `bitBuffer`. */
  private bitBuffer = 0;
  private bitCount = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  append(chunk: ArrayLike<number>): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** Appends the low `size` (at most 24) bits of `bits`, stuffing a zero after every 0xFF. */
  bits(bits: number, size: number): void {
    if (this.bitCount + size > 32) this.flushBytes();
    this.bitBuffer = (this.bitBuffer << size) | bits;
    this.bitCount += size;
  }

  /** Pads the last byte of entropy-coded data with one bits. */
  flushBits(): void {
    const padding = (8 - (this.bitCount % 8)) % 8;
    if (padding > 0) this.bits((1 << padding) - 1, padding);
    this.flushBytes();
  }

  /** Moves the whole bytes of `bitBuffer` to the output, leaving fewer than 8 bits pending. */
  private flushBytes(): void {
    this.reserve(8);
    const { bytes } = this;
    while (this.bitCount >= 8) {
      this.bitCount -= 8;
      const byte = (this.bitBuffer >>> this.bitCount) & 0xff;
      bytes[this.length] = byte;
      this.length += byte === 0xff ? 2 : 1; // the buffer is zeroed, so the stuffed 0 is there
    }
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }
}
