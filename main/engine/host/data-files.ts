// The data directory holds prompts, paths, upload and result URLs: it is kept private (the folder
// 0700, its files 0600, where the OS has modes), and a file in it that can no longer be read is
// moved aside under a dated name, kept for recovery, so that it never stops GenQueue from starting.
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

const HAS_MODES = process.platform !== 'win32';

/** Best effort: on a read-only disk, or for a file another user owns, the mode stays as it is. */
function restrict(path: string, mode: number): void {
  try {
    if (HAS_MODES) chmodSync(path, mode);
  } catch {
    // Not ours to change; writing to it, if it comes to that, fails with its own sentence.
  }
}

/** Makes `home` (and its parents) when missing; the folder itself is opened to its owner only. */
export function privateFolder(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  restrict(home, 0o700);
}

/** Creates `file` empty when missing, and makes it readable and writable by its owner only. */
export function privateFile(file: string, create = false): void {
  if (create) closeSync(openSync(file, 'a', 0o600));
  if (existsSync(file)) restrict(file, 0o600);
}

/** Renames `file` to `<file>.broken-<date>` (a free name); returns the new name. */
export function moveAside(file: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  let target = `${file}.broken-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${file}.broken-${stamp}-${n}`;
  renameSync(file, target);
  return target;
}

/** The sentence for a file moved aside: what was wrong with it, where it went, what replaced it. */
export function movedAsideNotice(
  file: string,
  moved: string,
  wrong: string,
  fresh: string,
): string {
  return `${basename(file)} in ${dirname(file)} ${wrong}, so GenQueue moved it to ${basename(moved)}, where it is kept for recovery, and ${fresh}.`;
}

/** The settings file both hosts keep in `home` (conf in the CLI, electron-store in the app). */
export function settingsFile(home: string): string {
  return join(home, 'settings.json');
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Run by a host before it opens its settings store: the folder and file are made private, and a
 * file that is not a JSON object (hand-edited, cut short) is moved aside. Returns the notice.
 */
export function recoverSettingsFile(home: string): string | undefined {
  privateFolder(home);
  const file = settingsFile(home);
  if (!existsSync(file)) return undefined;
  privateFile(file);
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '' || isJsonObject(text)) return undefined;
  const moved = moveAside(file);
  return movedAsideNotice(file, moved, 'is not valid JSON', 'started with the default settings');
}
