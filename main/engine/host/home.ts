// Where GenQueue keeps its data when GENQUEUE_HOME does not say: the same per-OS folder that
// Electron's app.getPath('userData') gives the desktop app, so the CLI and the app share a queue.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'GenQueue';

export function defaultHome(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.GENQUEUE_HOME) return env.GENQUEUE_HOME;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}
