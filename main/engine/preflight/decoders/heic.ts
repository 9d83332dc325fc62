// Decodes HEIC/HEIF (HEVC) through libheif compiled to WebAssembly, because sharp's prebuilt
// libvips has no HEVC decoder. The decode runs in a short-lived worker thread: it takes seconds
// of CPU that must not block the event loop, and ending the worker returns its WebAssembly
// memory, which otherwise can only grow.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { EngineFailure, engineError } from '../../../contract/errors.ts';
import { ROWS_PER_STRIP, tiffReserve, writeTiffHeader } from './tiff-wrap.ts';

/**
 * The primary image, upright (libheif applies the file's rotation and mirroring), as an
 * uncompressed RGB or RGBA TIFF in memory: the TIFF carries the file's ICC profile (Display P3 on
 * an iPhone), so sharp converts the colours to sRGB exactly as it does for any other input.
 */
export interface HeicPixels {
  tiff: Buffer;
  width: number;
  height: number;
  /** Four channels when true, else three. */
  hasAlpha: boolean;
}

/**
 * Largest primary image decoded, in pixels: the ceiling every format shares (MAX_INPUT_PIXELS in
 * pipeline/inspect.ts, which refuses larger images first). Memory is what bounds a HEIC: the
 * worker holds the file, the decoded planes and an RGB(A) copy (a 200 MP grid peaked at 1.7 GB,
 * under the 10 bytes per pixel pipeline/memory-budget.ts reserves before admitting a decode).
 */
export const MAX_HEIC_PIXELS = 268_402_689;

/**
 * Most tiles in a grid image: 64 × 64 (268 MP in tiles of 256 × 256). A 200 MP Samsung photo has
 * hundreds, over the 256 items libvips lets libheif read; GenQueue reads the header itself
 * (decoders/heic-header.ts) and decodes here, where libheif may read up to MAX_HEIC_ITEMS.
 */
export const MAX_HEIC_TILES = 4096;
/** Most items in a file: the tiles, with as many again for thumbnails, metadata and the like. */
export const MAX_HEIC_ITEMS = 2 * MAX_HEIC_TILES;

// CommonJS run inside the worker; the module path is resolved by the parent so that it works
// the same from source, from a bundle and from a packaged app. It decodes as libheif-js's own
// display() does, but to RGB when there is no alpha: a quarter less memory in both copies (the
// WebAssembly heap's and the TIFF's).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const said = []; // libheif-js logs why it could not read a file
console.log = (...args) => said.push(args.join(' '));
const libheif = require(workerData.modulePath);
// libheif's heif_security_limits grows only at its end; from version 1 on, max_items (default
// 1000) is the uint32 at byte 28. Raised to GenQueue's own limit, checked from the header before.
const limits = libheif._heif_get_global_security_limits();
if (limits && libheif.HEAPU8[limits] >= 1) libheif.HEAPU32[(limits + 28) >> 2] = workerData.maxItems;
const images = new libheif.HeifDecoder().decode(new Uint8Array(workerData.bytes));
const primary = images.find((image) => image.is_primary()) || images[0];
if (!primary) {
  parentPort.postMessage({ error: 'corrupt', detail: said.join('; ') });
} else {
  const width = primary.get_width();
  const height = primary.get_height();
  if (width * height > workerData.maxPixels) {
    parentPort.postMessage({ error: 'too_many_pixels', width, height });
  } else {
    const hasAlpha = primary.has_alpha_channel();
    const row = width * (hasAlpha ? 4 : 3);
    const chroma = libheif.heif_chroma[hasAlpha ? 'heif_chroma_interleaved_RGBA' : 'heif_chroma_interleaved_RGB'];
    Promise.resolve(libheif.heif_js_decode_image2(primary.handle, libheif.heif_colorspace.heif_colorspace_RGB, chroma)).then((image) => {
      const plane = image && !image.code && image.channels.find((c) => c.id === libheif.heif_channel.heif_channel_interleaved);
      if (!plane) return parentPort.postMessage({ error: 'corrupt', detail: image && image.message });
      if (plane.width !== width || plane.height !== height) {
        return parentPort.postMessage({ error: 'corrupt', detail: 'decoded ' + plane.width + ' × ' + plane.height + ', not the size its header states' });
      }
      const reserve = workerData.reserveBase + 8 * Math.ceil(height / workerData.rowsPerStrip);
      const buffer = new ArrayBuffer(reserve + row * height);
      const data = new Uint8Array(buffer, reserve);
      for (let y = 0; y < height; y += 1) data.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
      libheif.heif_image_release(image.image);
      parentPort.postMessage({ width, height, hasAlpha, data: buffer }, [buffer]);
    }, () => parentPort.postMessage({ error: 'corrupt' }));
  }
}
`;

type WorkerReply =
  | { error: 'corrupt'; detail?: string }
  | { error: 'too_many_pixels'; width: number; height: number }
  | { width: number; height: number; hasAlpha: boolean; data: ArrayBuffer };

let modulePath: string | undefined;
function libheifPath(): string {
  const require = createRequire(import.meta.url);
  modulePath ??= unpackedPath(
    createRequire(require.resolve('heic-decode')).resolve('libheif-js/wasm-bundle'),
  );
  return modulePath;
}

/**
 * In a packaged app, modules resolve inside app.asar, which a worker thread cannot read; libheif-js
 * is unpacked beside it (electron-builder.yml), so the worker loads it from app.asar.unpacked.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000)} megapixels`;
}

/**
 * Decodes the primary image of a HEIC/HEIF file, tagged with `icc` (the file's own profile, read
 * by sharp from the header); failures are EngineFailures naming `name`.
 */
export function decodeHeic(
  bytes: Uint8Array,
  name: string,
  icc: Uint8Array | undefined,
  signal?: AbortSignal,
): Promise<HeicPixels> {
  signal?.throwIfAborted();
  const copy = new Uint8Array(bytes).buffer; // a copy: transferring must not detach the caller's bytes
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      modulePath: libheifPath(),
      bytes: copy,
      maxPixels: MAX_HEIC_PIXELS,
      maxItems: MAX_HEIC_ITEMS,
      // The worker reserves tiffReserve(height, icc length): this base plus 8 bytes per strip.
      reserveBase: tiffReserve(0, icc?.length ?? 0),
      rowsPerStrip: ROWS_PER_STRIP,
    },
    transferList: [copy],
  });
  return new Promise<HeicPixels>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const damaged = (detail?: string) =>
      new EngineFailure(
        engineError('corrupt', `${name} is damaged: its HEIC image data cannot be decoded.`, {
          detail,
        }),
      );
    const onAbort = () => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: WorkerReply) =>
      finish(() => {
        if ('data' in reply) {
          const tiff = Buffer.from(reply.data);
          writeTiffHeader(tiff, reply.width, reply.height, reply.hasAlpha, icc);
          resolve({ tiff, width: reply.width, height: reply.height, hasAlpha: reply.hasAlpha });
        } else if (reply.error === 'too_many_pixels') {
          const size = `${reply.width} × ${reply.height} (${megapixels(reply.width * reply.height)})`;
          const message = `${name} is ${size}; GenQueue decodes HEIC images up to ${megapixels(MAX_HEIC_PIXELS)}.`;
          reject(new EngineFailure(engineError('too_many_pixels', message)));
        } else {
          reject(damaged(reply.detail || undefined));
        }
      }),
    );
    worker.once('error', (error) => finish(() => reject(damaged(String(error)))));
    worker.once('exit', (code) =>
      finish(() => reject(damaged(`decoder exited with code ${code}`))),
    );
  });
}
