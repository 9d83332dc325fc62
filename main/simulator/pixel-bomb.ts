// A result image that is small on the wire and enormous decoded, as a broken or hostile server
// could send: a 16,383 × 16,383 one-bit PNG of about 30 KB that claims 268 million pixels. Written
// by hand (sharp would need the whole image in memory to make it) and only when a test asks for it.
import { writeFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';

export const BOMB_SIDE = 16_383;

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Writes the bomb to `file`: a valid PNG, every pixel black. */
export async function writePixelBomb(file: string): Promise<void> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(BOMB_SIDE, 0);
  header.writeUInt32BE(BOMB_SIDE, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const row = 1 + Math.ceil(BOMB_SIDE / 8); // a filter byte, then the row's bits
  const pixels = deflateSync(Buffer.alloc(row * BOMB_SIDE), { level: 9 });
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await writeFile(
    file,
    Buffer.concat([
      signature,
      chunk('IHDR', header),
      chunk('IDAT', pixels),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
