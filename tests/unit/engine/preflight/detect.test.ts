import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { EngineFailure } from '../../../../main/contract/errors.ts';
import { detectFormat } from '../../../../main/engine/preflight/decoders/detect.ts';

function refusal(head: Uint8Array, name: string) {
  try {
    detectFormat(head, name, head.length);
  } catch (error) {
    assert.ok(error instanceof EngineFailure);
    return error.error;
  }
  assert.fail(`${name} was accepted`);
}

function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const brands = [major, '\0\0\0\0', ...compatible].join('');
  const box = Buffer.alloc(8 + brands.length);
  box.writeUInt32BE(box.length, 0);
  box.write(`ftyp${brands}`, 4, 'latin1');
  return Buffer.concat([box, Buffer.alloc(64)]);
}

describe('detectFormat', () => {
  test('reads the type from the bytes, not the name', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    assert.equal(detectFormat(png, 'photo.jpg', png.length), 'png');
    const jpeg = await sharp(png).jpeg().toBuffer();
    assert.equal(detectFormat(jpeg, 'photo.png', jpeg.length), 'jpeg');
    const webp = await sharp(png).webp().toBuffer();
    assert.equal(detectFormat(webp, 'x.gif', webp.length), 'webp');
    const gif = await sharp(png).gif().toBuffer();
    assert.equal(detectFormat(gif, 'x', gif.length), 'gif');
    const tiff = await sharp(png).tiff().toBuffer();
    assert.equal(detectFormat(tiff, 'x', tiff.length), 'tiff');
  });

  test('tells HEIC from AVIF by the ftyp brands', () => {
    assert.equal(detectFormat(ftyp('heic', 'mif1', 'heic'), 'a.heic', 100), 'heic');
    assert.equal(detectFormat(ftyp('mif1', 'mif1', 'heic'), 'a.heif', 100), 'heic');
    assert.equal(detectFormat(ftyp('avif', 'mif1', 'avif'), 'a.avif', 100), 'avif');
    assert.equal(detectFormat(ftyp('mif1', 'mif1', 'avif', 'miaf'), 'a.heif', 100), 'avif');
    assert.equal(refusal(ftyp('isom', 'isom', 'mp41'), 'clip.heic').code, 'not_image');
  });

  test('recognises SVG and BMP', () => {
    const svg = Buffer.from(
      '\ufeff<?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    );
    assert.equal(detectFormat(svg, 'a.png', svg.length), 'svg');
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]);
    assert.equal(detectFormat(bmp, 'a.jpg', bmp.length), 'bmp');
  });

  test('explains what a non-image is, naming the file', () => {
    const text = refusal(Buffer.from('hello, this is a note\n'), 'notes.png');
    assert.equal(text.code, 'not_image');
    assert.equal(
      text.message,
      'notes.png is not an image: it starts with the bytes of a text file.',
    );
    assert.match(refusal(new Uint8Array(0), 'empty.jpg').message, /^empty\.jpg is empty/);
    assert.match(refusal(Buffer.from('%PDF-1.7\n'), 'scan.jpg').message, /PDF document/);
    assert.match(refusal(Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), 'a.png').message, /ZIP archive/);
    assert.match(
      refusal(Buffer.from([0, 1, 2, 3, 0xfe, 0x99, 7]), 'b.jpg').message,
      /match no image format/,
    );
  });

  test('names formats it recognises but cannot convert', () => {
    assert.equal(refusal(Buffer.from('8BPS\0\x01'), 'art.psd').code, 'unsupported');
    assert.match(refusal(Buffer.from([0xff, 0x0a, 1, 2]), 'a.jxl').message, /JPEG XL/);
    assert.match(
      refusal(Buffer.from([0x49, 0x49, 0x2a, 0, 0x10, 0, 0, 0, 0x43, 0x52]), 'a.cr2').message,
      /Canon RAW/,
    );
  });
});
