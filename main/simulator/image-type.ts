// Recognises an upload's type from its first bytes, as APIMart does (the name and the declared
// Content-Type count for nothing). Only JPEG, PNG, GIF and WebP are accepted; anything else is
// named in the refusal, so a user reads "text/plain" rather than a bare "unsupported".

export interface SniffedType {
  mime: string;
  extension: string | null; // set only for the accepted types
}

/** How many leading bytes sniff() wants to see when the file is at least that long. */
export const SNIFF_BYTES = 512;

function startsWith(head: Buffer, signature: number[], offset = 0): boolean {
  return signature.every((byte, i) => head[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

function looksLikeText(head: Buffer): boolean {
  for (const byte of head) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) return false;
  }
  return true;
}

export function sniff(head: Buffer): SniffedType {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', extension: 'jpg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { mime: 'image/png', extension: 'png' };
  }
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) {
    return { mime: 'image/gif', extension: 'gif' };
  }
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) {
    return { mime: 'image/webp', extension: 'webp' };
  }
  if (startsWith(head, ascii('BM'))) return { mime: 'image/bmp', extension: null };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { mime: 'image/tiff', extension: null };
  }
  if (startsWith(head, ascii('ftyp'), 4)) {
    const brand = head.subarray(8, 12).toString('latin1');
    const heif = ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand);
    return {
      mime: heif ? 'image/heic' : brand === 'avif' ? 'image/avif' : 'video/mp4',
      extension: null,
    };
  }
  if (startsWith(head, ascii('%PDF-'))) return { mime: 'application/pdf', extension: null };
  if (head.length > 0 && looksLikeText(head)) {
    return { mime: 'text/plain; charset=utf-8', extension: null };
  }
  return { mime: 'application/octet-stream', extension: null };
}
