// The engine's host ports as the desktop app provides them: native file/folder pickers (attached
// to the window), open and reveal through the OS shell (images and folders only), images put on
// the system clipboard, and settings kept by electron-store in the data directory (private, and
// moved aside when they cannot be read).
import { stat } from 'node:fs/promises';
import {
  clipboard,
  ClipboardItem,
  dialog,
  shell,
  type BrowserWindow,
  type OpenDialogOptions,
} from 'electron';
import Store from 'electron-store';
import sharp from 'sharp';
import { fail } from '../../contract/errors.ts';
import { IMAGE_EXTENSIONS } from '../../contract/image-files.ts';
import { recoverSettingsFile } from '../../engine/host/data-files.ts';
import type { DesktopPort, SettingsPort } from '../../engine/host/ports.ts';
import { mayOpen } from './desktop-policy.ts';

export function electronDesktop(parent: () => BrowserWindow | undefined): DesktopPort {
  return {
    async pickPaths(kind) {
      const options: OpenDialogOptions =
        kind === 'folder'
          ? { properties: ['openDirectory', 'multiSelections'] }
          : {
              properties: ['openFile', 'multiSelections'],
              filters: [{ name: 'Images', extensions: [...IMAGE_EXTENSIONS] }],
            };
      const window = parent();
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async open(path) {
      const info = await stat(path).catch(() => undefined);
      if (!info) fail('not_found', `There is nothing at ${path} any more.`);
      if (!mayOpen(path, info.isDirectory())) {
        fail('bad_input', 'GenQueue opens only images and folders, so this file was not opened.');
      }
      const error = await shell.openPath(path);
      if (error) fail('io', `The system could not open ${path}: ${error}`);
    },
    async reveal(path) {
      shell.showItemInFolder(path);
    },
    async copyImage(path) {
      // As PNG, the one image type every OS clipboard takes, whatever the result's own format.
      const png = await sharp(path)
        .png()
        .toBuffer()
        .catch(() => undefined);
      if (!png) fail('not_image', `GenQueue could not read ${path} as an image.`);
      const blob = new Blob([new Uint8Array(png)], { type: 'image/png' });
      await clipboard.write([new ClipboardItem({ 'image/png': blob })]);
    },
  };
}

export function electronStoreSettings(home: string): SettingsPort {
  const notice = recoverSettingsFile(home);
  const store = new Store<Record<string, unknown>>({
    cwd: home,
    name: 'settings',
    configFileMode: 0o600,
  });
  return {
    ...(notice && { notice }),
    read: () => store.store,
    write: (settings) => {
      store.store = settings as Record<string, unknown>;
    },
  };
}
