// The one application window, locked down: context isolation, the sandbox, no Node in the page,
// no <webview>, a strict CSP (header here, meta tag in the page), no navigation away from the
// app's own page, no new windows (https links go to the browser), every permission refused.
// The page is the app's own bundle, never remote content. Its bounds are remembered.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, screen, session, shell, type WebContents } from 'electron';
import { CSP } from './csp.ts';
import { isAppPage, isSafeExternalUrl } from './origin-policy.ts';
import { placeWindow, MIN_SIZE, type WindowState } from './window-state.ts';

/** The page the window loads: the dev server in `electron-vite dev`, the built file otherwise. */
export function appUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  return dev
    ? new URL('/index.html', dev).href
    : pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

/**
 * Session-wide rules: no permission is ever granted, the page cannot start a download, and every
 * response carries the CSP.
 */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

/**
 * Rules for every web contents the app ever creates (the window, and anything a bug or an
 * exploit might open): no webviews, no navigation away from the app's page, no new windows.
 */
export function hardenContents(contents: WebContents): void {
  const stay = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppPage(event.url, appUrl())) event.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-frame-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Where the window should open: the saved state clamped to the displays present now. */
export function initialPlacement(saved: WindowState | undefined): WindowState {
  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((display) => display.id !== primary.id);
  return placeWindow(
    saved,
    [primary, ...others].map((display) => display.workArea),
  );
}

export function currentPlacement(window: BrowserWindow): WindowState {
  return { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
}

export function createMainWindow(placement: WindowState, icon?: string): BrowserWindow {
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'GenQueue',
    ...(icon && { icon }),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(appUrl());
  return window;
}
