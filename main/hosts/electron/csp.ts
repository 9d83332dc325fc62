// The window's Content-Security-Policy, written once. The main process sends it as a response
// header and the page carries the same policy in a meta tag (file:// pages get no headers, and a
// meta policy cannot express frame-ancestors). Every source is the app's own bundle: nothing remote.
const DIRECTIVES: readonly (readonly [name: string, value: string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  // React writes style attributes (progress bars, slider positions); no remote stylesheet.
  ['style-src', "'self' 'unsafe-inline'"],
  // Thumbnails arrive as data: URLs made by the engine; pasted images as blob: URLs.
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

function policy(directives: readonly (readonly [string, string])[]): string {
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The header policy. */
export const CSP = policy(DIRECTIVES);

/** The same policy as a `<meta http-equiv>` can carry it (browsers ignore frame-ancestors there). */
export const META_CSP = policy(DIRECTIVES.filter(([name]) => name !== 'frame-ancestors'));

/** A policy string as a map of directive → sorted sources, for comparing two policies. */
export function parseCsp(text: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of text.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources.sort().join(' '));
  }
  return directives;
}
