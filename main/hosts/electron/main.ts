// The desktop app's main process: one instance, one window, the engine started with its data in
// userData (or GENQUEUE_HOME, which tests use for a fresh folder each), and a clean shutdown that
// leaves every job durable before the process exits.
import { dialog, shell, app, BrowserWindow } from 'electron';
import Store from 'electron-store';
import { createEngine, type Engine } from '../../engine/engine.ts';
import type { DesktopPort, SettingsPort } from '../../engine/host/ports.ts';
import { forwardEvents, registerIpc } from './ipc-adapter.ts';
import { safeStorageSecrets } from './secrets.ts';
import { appUrl, createMainWindow, hardenSession } from './window.ts';

const desktop: DesktopPort = {
  async pickPaths(kind) {
    const result = await dialog.showOpenDialog({
      properties:
        kind === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
      filters:
        kind === 'files'
          ? [
              {
                name: 'Images',
                extensions: [
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
                ],
              },
            ]
          : [],
    });
    return result.canceled ? [] : result.filePaths;
  },
  async open(path) {
    const error = await shell.openPath(path);
    if (error) throw new Error(error);
  },
  async reveal(path) {
    shell.showItemInFolder(path);
  },
};

function electronStoreSettings(home: string): SettingsPort {
  const store = new Store<Record<string, unknown>>({ cwd: home, name: 'settings' });
  return {
    read: () => store.store,
    write: (settings) => {
      store.store = settings as Record<string, unknown>;
    },
  };
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  hardenSession();
  const home = process.env.GENQUEUE_HOME ?? app.getPath('userData');
  const engine: Engine = await createEngine({
    home,
    version: app.getVersion(),
    command: 'GenQueue app',
    settings: electronStoreSettings(home),
    secrets: await safeStorageSecrets(home),
    desktop,
  });
  const unregister = registerIpc(engine.handlers, appUrl);
  await engine.start();

  let window = createMainWindow();
  let stopForwarding = forwardEvents(engine.subscribe, window.webContents);
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      window = createMainWindow();
      stopForwarding = forwardEvents(engine.subscribe, window.webContents);
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    stopForwarding();
    unregister();
    void engine.stop().finally(() => app.exit(0));
  });
}

start().catch((error: unknown) => {
  dialog.showErrorBox(
    'GenQueue could not start',
    error instanceof Error ? error.message : String(error),
  );
  app.exit(1);
});
