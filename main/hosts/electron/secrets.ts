// The API key at rest: encrypted with Electron's safeStorage (the async API; the sync one is
// deprecated in Electron 45) and kept as ciphertext in the data directory. Never in settings,
// logs or the renderer. Linux's basic_text backend only obfuscates, so it is reported as weak.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretsPort } from '../../engine/host/ports.ts';

export async function safeStorageSecrets(home: string): Promise<SecretsPort> {
  const file = join(home, 'api-key.bin');
  const available = await safeStorage.isAsyncEncryptionAvailable();
  const backend =
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'OS keychain';
  return {
    backend: available ? backend : 'unavailable',
    weak: !available || backend === 'basic_text',
    async load() {
      try {
        const { result } = await safeStorage.decryptStringAsync(await readFile(file));
        return result || undefined;
      } catch {
        return undefined;
      }
    },
    async save(key) {
      await writeFile(file, await safeStorage.encryptStringAsync(key), { mode: 0o600 });
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}
