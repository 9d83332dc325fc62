// The CLI's answers to the engine's ports: settings through `conf` in the same file and schema
// the desktop app's electron-store uses (private, and moved aside when it cannot be read), and the
// API key from APIMART_API_KEY only (a headless host has no keychain, and the CLI never saves one).
import Conf from 'conf';
import { fail } from '../../contract/errors.ts';
import { recoverSettingsFile } from '../../engine/host/data-files.ts';
import type { SecretsPort, SettingsPort } from '../../engine/host/ports.ts';

export function confSettings(home: string): SettingsPort {
  const notice = recoverSettingsFile(home);
  const conf = new Conf<Record<string, unknown>>({
    cwd: home,
    configName: 'settings',
    projectName: 'genqueue',
    configFileMode: 0o600,
  });
  return {
    ...(notice && { notice }),
    read: () => conf.store,
    write: (settings) => {
      conf.store = settings as Record<string, unknown>;
    },
  };
}

export function envSecrets(env: NodeJS.ProcessEnv): SecretsPort {
  return {
    backend: 'APIMART_API_KEY',
    weak: false,
    load: async () => env.APIMART_API_KEY?.trim() || undefined,
    save: async () =>
      fail('bad_input', 'The command line reads the key from APIMART_API_KEY only.'),
    clear: async () =>
      fail('bad_input', 'The command line reads the key from APIMART_API_KEY only.'),
  };
}
