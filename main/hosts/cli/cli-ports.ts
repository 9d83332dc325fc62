// The CLI's answers to the engine's ports: settings through `conf` in the same file and schema
// the desktop app's electron-store uses, and the API key from APIMART_API_KEY only (a headless
// host has no keychain, and a key is never written to disk by the CLI).
import Conf from 'conf';
import { fail } from '../../contract/errors.ts';
import type { SecretsPort, SettingsPort } from '../../engine/host/ports.ts';

export function confSettings(home: string): SettingsPort {
  const conf = new Conf<Record<string, unknown>>({
    cwd: home,
    configName: 'settings',
    projectName: 'genqueue',
  });
  return {
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
