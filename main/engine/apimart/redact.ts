// Scrubs the API key out of text a server sent back, in every form a server or proxy is likely to
// echo it: as is, URL-encoded, JSON-escaped, base64 (at any alignment inside a longer base64
// string, standard or URL-safe) and after "Bearer". Pure, so each form is tested on strings alone.

export const REDACTED = '[redacted]';
/** A shorter "key" would mangle ordinary words; real keys are far longer. */
const MIN_KEY_LENGTH = 4;

/** `text` with every known encoding of `key`, and any bearer token, replaced by [redacted]. */
export function redactKey(text: string, key: string | undefined): string {
  const bearerless = text.replace(/Bearer\s+[^\s"',]+/gi, `Bearer ${REDACTED}`);
  if (!key || key.length < MIN_KEY_LENGTH) return bearerless;
  return keyForms(key).reduce((scrubbed, form) => scrubbed.split(form).join(REDACTED), bearerless);
}

/** Every spelling of `key` redactKey looks for, longest first (so no form leaves part of another). */
export function keyForms(key: string): string[] {
  const forms = new Set([
    key,
    ...percentForms(key),
    ...jsonForms(key),
    ...base64Forms(key).flatMap((form) => [form, form.replace(/\+/g, '-').replace(/\//g, '_')]),
  ]);
  return [...forms]
    .filter((form) => form.length >= MIN_KEY_LENGTH)
    .sort((a, b) => b.length - a.length);
}

function percentForms(key: string): string[] {
  const bytes = [...Buffer.from(key, 'utf8')];
  const every = bytes
    .map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)
    .join('');
  const component = encodeURIComponent(key);
  return [component, lowerHexEscapes(component), every, lowerHexEscapes(every)];
}

function lowerHexEscapes(text: string): string {
  return text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

function jsonForms(key: string): string[] {
  const escaped = JSON.stringify(key).slice(1, -1);
  const unicode = [...key]
    .map((char) =>
      [...char].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    )
    .join('');
  return [
    escaped,
    escaped.replace(/\//g, '\\/'),
    unicode,
    unicode.toUpperCase().replace(/\\U/g, '\\u'),
  ];
}

/**
 * The base64 characters that encode only the key's bytes, for each of the three positions the key
 * can start at inside a longer base64 text ("Basic user:key", a JSON blob): characters mixing key
 * bits with their neighbours' differ from text to text, so they are left out.
 */
function base64Forms(key: string): string[] {
  const bytes = Buffer.from(key, 'utf8');
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    return encoded.slice(first, end);
  });
}
