// The desktop app's main process: one instance, one locked-down window, the engine started with
// its data in userData (or GENQUEUE_HOME, which tests use for a fresh folder each), a tray, an app
// menu, progress and notifications, and a shutdown that leaves every job durable and exits in 2 s.
import { app, dialog, Menu, Notification, shell, type BrowserWindow } from 'electron';
import { dispatch } from '../../contract/dispatch.ts';
import type { RouteInput, RouteName, RouteOutput } from '../../contract/routes.ts';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { startForTrying } from '../../simulator/simulator.ts';
import appIcon from '../../../build/icons/256x256.png?asset';
import { appMenuTemplate } from './app-menu.ts';
import { electronDesktop, electronStoreSettings } from './electron-ports.ts';
import { startFeedback } from './feedback.ts';
import { forwardEvents, registerIpc } from './ipc-adapter.ts';
import { safeStorageSecrets } from './secrets.ts';
import { QUIT_DEADLINE_MS, stopWithin } from './shutdown.ts';
import { createTray } from './tray.ts';
import {
  appUrl,
  createMainWindow,
  currentPlacement,
  hardenContents,
  hardenSession,
  initialPlacement,
} from './window.ts';
import { loadWindowState, saveWindowState, type WindowState } from './window-state.ts';

/** Matches electron-builder.yml: Windows ties notifications and taskbar entries to it. */
const APP_ID = 'app.genqueue.desktop';

function tell(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
  else console.error(`${title}: ${body}`);
}

async function start(): Promise<void> {
  // GENQUEUE_HOME (tests, portable setups) holds everything, Chromium's profile included, so the
  // single-instance lock is per data directory and a test never meets the user's running app.
  if (process.env.GENQUEUE_HOME) app.setPath('userData', process.env.GENQUEUE_HOME);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.setAppUserModelId(APP_ID);
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  await app.whenReady();
  hardenSession();

  const home = app.getPath('userData');
  let window: BrowserWindow | undefined;
  const liveWindow = (): BrowserWindow | undefined =>
    window && !window.isDestroyed() ? window : undefined;

  const engine: Engine = await createEngine({
    home,
    version: app.getVersion(),
    command: 'GenQueue app',
    settings: electronStoreSettings(home),
    secrets: await safeStorageSecrets(home),
    desktop: electronDesktop(liveWindow),
    simulator: startForTrying,
  });
  const unregister = registerIpc(engine.handlers, {
    appUrl,
    isAppContents: (contents) => contents.id === liveWindow()?.webContents.id,
  });
  await engine.start();

  /** Calls a route from the main process itself (menu, tray); failures become a notification. */
  async function call<K extends RouteName>(
    route: K,
    input: RouteInput<K>,
  ): Promise<RouteOutput<K> | undefined> {
    const result = await dispatch(engine.handlers, route, input);
    if (result.ok) return result.value as RouteOutput<K>;
    tell('GenQueue could not do that', result.error.message);
    return undefined;
  }

  let placement: WindowState | undefined = await loadWindowState(home);
  let stopForwarding = (): void => {};
  const icon = process.platform === 'linux' ? appIcon : undefined;
  function showWindow(): void {
    const open = liveWindow();
    if (open) {
      if (open.isMinimized()) open.restore();
      open.show();
      open.focus();
      return;
    }
    const created = createMainWindow(initialPlacement(placement), icon);
    window = created;
    stopForwarding = forwardEvents(engine.subscribe, created.webContents);
    created.on('close', () => {
      placement = currentPlacement(created);
      saveWindowState(home, placement).catch((error: unknown) =>
        console.error('The window position could not be saved:', error),
      );
    });
    created.on('closed', () => stopForwarding());
  }

  async function addPaths(kind: 'files' | 'folder'): Promise<void> {
    const picked = await call('files.pick', { kind });
    if (picked && picked.paths.length > 0) await call('jobs.enqueue', { paths: picked.paths });
  }
  async function togglePause(): Promise<void> {
    const stats = await call('queue.stats', {});
    if (stats) await call(stats.paused ? 'queue.resume' : 'queue.pause', {});
  }
  function setMenu(paused: boolean): void {
    const actions = {
      addImages: () => void addPaths('files'),
      addFolder: () => void addPaths('folder'),
      togglePause: () => void togglePause(),
      clearFinished: () => void call('jobs.clearFinished', {}),
      openDataFolder: () => void shell.openPath(home),
      quit: () => app.quit(),
    };
    const options = { platform: process.platform, packaged: app.isPackaged, paused };
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(actions, options)));
  }

  const tray = createTray((action) => {
    if (action === 'show') showWindow();
    else if (action === 'pause') void call('queue.pause', {});
    else if (action === 'resume') void call('queue.resume', {});
    else app.quit();
  });
  const initial = await engine.handlers['queue.stats']({});
  setMenu(initial.paused !== null);
  const stopFeedback = startFeedback(engine.subscribe, initial, {
    window: liveWindow,
    tray,
    showWindow,
    pausedChanged: setMenu,
    ...(icon && { icon }),
  });
  showWindow();

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  process.once('SIGTERM', () => app.quit());
  process.once('SIGINT', () => app.quit());

  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    const open = liveWindow();
    const last = open ? currentPlacement(open) : placement;
    stopFeedback();
    stopForwarding();
    unregister();
    tray.destroy();
    void stopWithin(
      () => Promise.all([engine.stop(), last && saveWindowState(home, last)]),
      QUIT_DEADLINE_MS,
    ).then((stopped) => {
      if (stopped.outcome === 'timed-out') console.error('GenQueue stopped before the engine did.');
      if (stopped.outcome === 'failed') console.error('The engine failed to stop:', stopped.error);
      app.exit(0);
    });
  });
}

start().catch((error: unknown) => {
  dialog.showErrorBox(
    'GenQueue could not start',
    error instanceof Error ? error.message : String(error),
  );
  app.exit(1);
});
