// The one application window, locked down: context isolation, the sandbox, no Node in the page,
// a strict CSP, no navigation away, no new windows (https links go to the browser), and every
// permission request refused. The page is the app's own bundle, never remote content.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, shell } from 'electron';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page the window loads: the dev server in `electron-vite dev`, the built file otherwise. */
export function appUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  return dev
    ? new URL('/index.html', dev).href
    : pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function createMainWindow(bounds?: Electron.Rectangle): BrowserWindow {
  const window = new BrowserWindow({
    width: bounds?.width ?? 1200,
    height: bounds?.height ?? 800,
    ...(bounds && { x: bounds.x, y: bounds.y }),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'GenQueue',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(appUrl());
  return window;
}
