// What the window may ask the OS to open. `shell.open` reaches the desktop's default handler, which
// runs programs and scripts as readily as it shows pictures, so a page that was ever compromised
// must not be able to launch anything: only folders (not macOS bundles, which are folders that
// launch) and image files are opened.
import { extname } from 'node:path';
import { IMAGE_EXTENSIONS } from '../../contract/image-files.ts';

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

/** Images GenQueue reads that the desktop would run, not just show: an SVG opens in a browser. */
const ACTIVE_IMAGES: readonly string[] = ['svg'];

/** Folders (not bundles), and the image files GenQueue reads (the picker offers the same list). */
export function mayOpen(path: string, isDirectory: boolean): boolean {
  const extension = extname(path).slice(1).toLowerCase();
  return isDirectory
    ? !BUNDLE_EXTENSIONS.includes(extension)
    : IMAGE_EXTENSIONS.includes(extension) && !ACTIVE_IMAGES.includes(extension);
}
