// What the window may ask the OS to open. `shell.open` reaches the desktop's default handler, which
// runs programs and scripts as readily as it shows pictures, so a page that was ever compromised
// must not be able to launch anything: only folders (not macOS bundles, which are folders that
// launch) and image files are opened.
import { extname } from 'node:path';

/** The image types GenQueue reads: offered in the file picker and allowed for "open". */
export const IMAGE_EXTENSIONS: readonly string[] = [
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'heic',
  'heif',
  'tif',
  'tiff',
  'avif',
  'bmp',
];

/** Folders that macOS runs or installs when opened. */
const BUNDLE_EXTENSIONS: readonly string[] = [
  'app',
  'appex',
  'bundle',
  'framework',
  'kext',
  'plugin',
  'prefpane',
  'saver',
  'workflow',
  'xpc',
];

export function mayOpen(path: string, isDirectory: boolean): boolean {
  const extension = extname(path).slice(1).toLowerCase();
  return isDirectory
    ? !BUNDLE_EXTENSIONS.includes(extension)
    : IMAGE_EXTENSIONS.includes(extension);
}
