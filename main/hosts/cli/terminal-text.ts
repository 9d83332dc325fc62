// File names are chosen by whoever made the files: a newline, an ANSI escape or a bidi override in
// one must not split a line, drive the terminal or reorder what it shows. Text output goes through
// terminalSafe(), which renders every such character visibly (`\n`, `\x1b`, `\u202e`); --json does not.

/** C0 controls, DEL, C1 controls, and the bidi embeddings, overrides, isolates and marks. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return (
    NAMED[char] ??
    (code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}
