// Reads the segments in front of a JPEG's scan — quantisation and Huffman tables, the frame, the
// restart interval, the scan header — and refuses any file the lossless turn (transform.ts)
// cannot move perfectly: only one-scan, 8-bit, Huffman-coded files with one or three components.
import { huffmanDecoder, type HuffmanDecoder } from './huffman.ts';
import {
  DHT,
  DQT,
  isStandalone,
  readQuantTables,
  walkJpeg,
  type JpegSegment,
  type QuantTable,
} from '../decoders/jpeg-segments.ts';

const DRI = 0xdd;
const COM = 0xfe;
const SOF0 = 0xc0;
const SOF1 = 0xc1;

/** How every part of the lossless turn gives up on a file; uprightJpeg answers undefined. */
export function refuse(reason: string): never {
  throw new Error(`cannot transform losslessly: ${reason}`);
}

interface FrameComponent {
  id: number;
  h: number;
  v: number;
  quantId: number;
}

export interface Frame {
  marker: number;
  width: number;
  height: number;
  components: FrameComponent[];
}

export interface Header {
  /** APPn and COM segments, whole, in file order. */
  metadata: Uint8Array[];
  quantTables: (QuantTable | undefined)[];
  frame: Frame;
  restartInterval: number;
  /** Per frame component, the tables its scan data was coded with. */
  dcDecoders: HuffmanDecoder[];
  acDecoders: HuffmanDecoder[];
  /** Offset of the entropy-coded data. */
  dataStart: number;
}

/** Everything read before the scan; filled in segment by segment. */
interface HeaderDraft {
  metadata: Uint8Array[];
  quantTables: (QuantTable | undefined)[];
  dcTables: (HuffmanDecoder | undefined)[];
  acTables: (HuffmanDecoder | undefined)[];
  frame: Frame | undefined;
  restartInterval: number;
}

/**
 * Reads every segment up to and including SOS (the walk every JPEG reader shares, walkJpeg),
 * checking that the file is one this can move before anything large is allocated.
 */
export function readHeader(bytes: Uint8Array): Header {
  const { segments, stop } = walkJpeg(bytes, 'scan');
  const scan = segments.at(-1);
  if (segments.length === 0) refuse('not a JPEG');
  if (stop !== 'scan' || !scan) refuse('a broken or cut-short segment before the scan');
  const draft: HeaderDraft = {
    metadata: [],
    quantTables: [],
    dcTables: [],
    acTables: [],
    frame: undefined,
    restartInterval: 0,
  };
  for (const segment of segments.slice(1, -1)) applySegment(draft, bytes, segment);
  return finishHeader(draft, scan);
}

function applySegment(draft: HeaderDraft, bytes: Uint8Array, segment: JpegSegment): void {
  const { marker, body } = segment;
  if (isStandalone(marker)) {
    refuse('unexpected marker before the scan');
  } else if ((marker >= 0xe0 && marker <= 0xef) || marker === COM) {
    draft.metadata.push(bytes.subarray(segment.start, segment.end));
  } else if (marker === DQT) {
    const { tables, whole } = readQuantTables(body);
    if (!whole) refuse('bad DQT');
    for (const table of tables) draft.quantTables[table.id] = table;
  } else if (marker === DHT) {
    readHuffmanTables(body, draft);
  } else if (marker === DRI) {
    if (body.length !== 2) refuse('bad DRI');
    draft.restartInterval = ((body[0] ?? 0) << 8) | (body[1] ?? 0);
  } else if (marker === SOF0 || marker === SOF1) {
    if (draft.frame) refuse('two frames');
    draft.frame = readFrame(marker, body);
  } else if (marker >= 0xc0 && marker <= 0xcf) {
    refuse('not a sequential Huffman JPEG'); // progressive, lossless, arithmetic, hierarchical
  } else if (marker >= 0xdc && marker <= 0xdf) {
    refuse('DNL or hierarchical marker');
  }
}

function readHuffmanTables(body: Uint8Array, draft: HeaderDraft): void {
  for (let at = 0; at < body.length;) {
    const tableClass = (body[at] ?? 0) >> 4;
    const id = (body[at] ?? 0) & 0x0f;
    const counts = body.subarray(at + 1, at + 17);
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (tableClass > 1 || id > 3 || at + 17 + total > body.length) refuse('bad DHT');
    const decoder = huffmanDecoder(tableClass, counts, body.slice(at + 17, at + 17 + total));
    if (!decoder) refuse('bad Huffman table');
    (tableClass === 0 ? draft.dcTables : draft.acTables)[id] = decoder;
    at += 17 + total;
  }
}

function readFrame(marker: number, body: Uint8Array): Frame {
  const count = body[5] ?? 0;
  if (count !== 1 && count !== 3) refuse('not 1 or 3 components');
  if (body.length !== 6 + 3 * count) refuse('bad SOF');
  const height = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
  const width = ((body[3] ?? 0) << 8) | (body[4] ?? 0);
  if (body[0] !== 8 || width === 0 || height === 0) refuse('not 8-bit, or no size');
  const components: FrameComponent[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = 6 + 3 * i;
    const sampling = body[at + 1] ?? 0;
    const component = {
      id: body[at] ?? 0,
      h: sampling >> 4,
      v: sampling & 15,
      quantId: body[at + 2] ?? 0,
    };
    const { h, v, quantId } = component;
    if (h < 1 || h > 4 || v < 1 || v > 4 || quantId > 3) refuse('bad component');
    if (components.some((other) => other.id === component.id)) refuse('duplicate component');
    components.push(component);
  }
  return { marker, width, height, components };
}

/** Checks the one scan holds every component, in frame order, with all its tables defined. */
function finishHeader(draft: HeaderDraft, segment: JpegSegment): Header {
  const { frame } = draft;
  const { body } = segment;
  if (!frame) refuse('scan before frame');
  const count = frame.components.length;
  if (body[0] !== count || body.length !== 4 + 2 * count) refuse('scan without every component');
  const dcDecoders: HuffmanDecoder[] = [];
  const acDecoders: HuffmanDecoder[] = [];
  frame.components.forEach((component, i) => {
    const tables = body[2 + 2 * i] ?? 0;
    const dc = draft.dcTables[tables >> 4];
    const ac = draft.acTables[tables & 15];
    if (body[1 + 2 * i] !== component.id) refuse('scan components out of order');
    if (!dc || !ac || !draft.quantTables[component.quantId]) refuse('missing table');
    dcDecoders.push(dc);
    acDecoders.push(ac);
  });
  const [start, end, approximation] = body.subarray(1 + 2 * count);
  if (start !== 0 || end !== 63 || approximation !== 0) refuse('not a sequential scan');
  return {
    metadata: draft.metadata,
    quantTables: draft.quantTables,
    frame,
    restartInterval: draft.restartInterval,
    dcDecoders,
    acDecoders,
    dataStart: segment.end,
  };
}
