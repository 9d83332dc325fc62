// The naming template for result files, one definition for the engine (which names the real
// results) and the window (whose Settings preview must show the very same name): placeholders,
// what no OS accepts in a name, how long a name may be, and the " (2)" a taken name gets. Pure
// string work, so the renderer bundles it.
export const NAME_PLACEHOLDERS = [
  '{name}',
  '{model}',
  '{index}',
  '{ext}',
  '{task}',
  '{date}',
  '{folder}',
];

export interface NameValues {
  /** The source's file name without its extension. */
  name: string;
  /** The name of the folder the source is in (`100CANON` for `DCIM/100CANON/IMG_0001.JPG`). */
  folder: string;
  model: string;
  index: number;
  /** The result's extension without the dot: jpg, png, webp or gif. */
  ext: string;
  taskId: string;
  date?: Date;
}

/** The most bytes a file name may have (ext4, APFS, Btrfs; NTFS's 255 UTF-16 units are never more). */
export const MAX_FILE_NAME_BYTES = 255;
/** The highest number a taken name gets: `x (99999).png`. */
export const MAX_SUFFIX_NUMBER = 99_999;
/**
 * The most bytes of a name before its extension (237): room is kept for the " (99999)" the engine
 * may add, the `.webp` the extension may become once the result's bytes are known, and the `.json`
 * after the whole name that the sidecar adds. All ASCII, so characters are bytes.
 */
export const MAX_STEM_BYTES =
  MAX_FILE_NAME_BYTES - ` (${MAX_SUFFIX_NUMBER})`.length - '.webp'.length - '.json'.length;

// What no OS accepts in a name (<>:"/\|?*), control characters (C0, DEL, C1), line separators
// and lone surrogates (the `u` flag leaves pairs alone): each becomes "_".
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/gu;
// Bidi controls are removed, being invisible: U+202E between `photo` and `gnp.exe` would show
// the name as `photoexe.png`.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const EDGES = /^[. ]+|[. ]+$/g;
// Windows' device names, also with an extension (`con.tar.png`): the part before the first dot.
const DEVICE = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(?= *(?:\.|$))/i;
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The template filled in and made safe, always ending in `.${ext}` (added when the template does
 * not end with it), never longer than MAX_STEM_BYTES before it. Unknown placeholders stay as
 * typed; a name with nothing left falls back to `{name}-{index}`.
 */
export function fileNameFromTemplate(template: string, values: NameValues): string {
  const ext = `.${values.ext}`;
  const rendered = fill(template, values).replace(/[. ]+$/, '');
  const stem = rendered.endsWith(ext) ? rendered.slice(0, -ext.length) : rendered;
  return (safeStem(stem) || safeStem(`${values.name}-${values.index}`)) + ext;
}

/** The name the engine gives result `fileName` when it is the k-th of that name: `x (k).png`. */
export function withSuffix(fileName: string, k: number): string {
  if (k === 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  const end = dot > 0 ? dot : fileName.length;
  return `${fileName.slice(0, end)} (${k})${fileName.slice(end)}`;
}

/** Placeholders in the template that are not names' fields (left as typed in the name). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)]
    .map((match) => match[0])
    .filter((token) => !NAME_PLACEHOLDERS.includes(token));
}

function fill(template: string, values: NameValues): string {
  const fields: Record<string, string> = {
    name: values.name,
    folder: values.folder,
    model: values.model,
    index: String(values.index),
    ext: values.ext,
    task: values.taskId,
    date: (values.date ?? new Date()).toISOString().slice(0, 10),
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => fields[key] ?? whole);
}

/** The part of a name before its extension, made safe on every OS and cut to fit. */
function safeStem(text: string): string {
  const tidy = text.replace(BIDI, '').replace(UNSAFE, '_').replace(EDGES, '');
  return cutToBytes(tidy.replace(DEVICE, '$&_'), MAX_STEM_BYTES).replace(EDGES, '');
}

/**
 * The longest start of `text` within `max` UTF-8 bytes, cut between graphemes (an emoji with its
 * skin tone or a letter with its accents stays whole), or between code points when even the first
 * grapheme is too long.
 */
function cutToBytes(text: string, max: number): string {
  let kept = '';
  for (const { segment } of GRAPHEMES.segment(text)) {
    if (utf8Bytes(kept + segment) > max) return kept || cutToBytesByCodePoint(segment, max);
    kept += segment;
  }
  return kept;
}

function cutToBytesByCodePoint(text: string, max: number): string {
  let kept = '';
  for (const char of text) {
    if (utf8Bytes(kept + char) > max) break;
    kept += char;
  }
  return kept;
}

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
