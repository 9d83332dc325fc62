// Which pages and links the app trusts, as plain functions of URLs so they can be tested without
// Electron: IPC is answered only for the app's own page (same scheme, host and file, any query or
// hash), and only https links may leave the app for the user's browser.

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True when `pageUrl` is the app's own page `appUrl`, whatever its query string or hash. */
export function isAppPage(pageUrl: string, appUrl: string): boolean {
  const page = parse(pageUrl);
  const app = parse(appUrl);
  if (!page || !app || page.username || page.password) return false;
  return page.protocol === app.protocol && page.host === app.host && page.pathname === app.pathname;
}

/** True for an https URL with a host and no credentials: the only links handed to the OS. */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === 'https:' &&
    parsed.hostname !== '' &&
    !parsed.username &&
    !parsed.password
  );
}
