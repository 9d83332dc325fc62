// The image files GenQueue knows, named once for every side: the formats it uploads and writes,
// with each one's extension and MIME type, and the extensions of the files it reads (ingest, the
// file picker, "open"). Pure data: the engine, both hosts and the renderer import it.

export const UPLOAD_FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

export type UploadContentType = `image/${UploadFormat}`;
export const CONTENT_TYPES: Record<UploadFormat, UploadContentType> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};
/** What a pasted image may be: the types GenQueue uploads as they are. */
export const UPLOAD_CONTENT_TYPES = UPLOAD_FORMATS.map((format) => CONTENT_TYPES[format]);

/** The extension GenQueue writes a file of each format under. */
export const EXTENSIONS: Record<UploadFormat, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
};

/** The extension for a file of MIME type `type` (a pasted image's). */
export function extensionForType(type: UploadContentType): string {
  return EXTENSIONS[type.slice('image/'.length) as UploadFormat];
}

/** Extensions (lower case, without the dot) of the files GenQueue reads as images. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'png',
  'webp',
  'gif',
  'heic',
  'heif',
  'hif',
  'avif',
  'tif',
  'tiff',
  'bmp',
  'svg',
];
