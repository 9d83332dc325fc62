// The API key is bound to the origin it was entered for, so a window that changes the base URL
// cannot have the key sent elsewhere: at another origin the key counts as not set until it is
// entered again. The binding is saved with the key itself, through the host's SecretsPort.
import { originOf } from '../contract/base-url.ts';
import { EngineFailure, engineError } from '../contract/errors.ts';
import type { SecretsPort } from './host/ports.ts';

export interface KeyBinding extends SecretsPort {
  /** Saves `key` bound to the origin of the base URL in use now. */
  save(key: string): Promise<void>;
  /** The key when it is bound to the current base URL's origin, else undefined. */
  load(): Promise<string | undefined>;
  /** The key for a request; throws an `auth` failure naming the origin it was entered for. */
  require(): Promise<string | undefined>;
  /** Why the stored key cannot be used now, in a sentence, or undefined. */
  problem(): Promise<string | undefined>;
}

interface StoredKey {
  key: string;
  origin?: string;
}

/**
 * `baseUrl` is where requests go now; `unboundOrigin` is where a key stored without an origin
 * belongs (a key from APIMART_API_KEY, or saved before keys were bound): the host's own base URL
 * when it names one, APIMart's otherwise.
 */
export function bindKey(
  port: SecretsPort,
  baseUrl: () => string,
  unboundOrigin: string,
): KeyBinding {
  async function stored(): Promise<StoredKey | undefined> {
    const text = await port.load();
    return text === undefined ? undefined : decode(text);
  }

  async function problem(): Promise<string | undefined> {
    const key = await stored();
    const here = originOf(baseUrl());
    const origin = key?.origin ?? unboundOrigin;
    if (!key || origin === here) return undefined;
    return key.origin
      ? `The API key was entered for ${origin}, not ${here}: enter it again in Settings to use it there.`
      : `The API key is meant for ${origin}; to send it to ${here}, enter it again in Settings, or set APIMART_BASE_URL=${here} for the command line.`;
  }

  return {
    backend: port.backend,
    weak: port.weak,
    clear: () => port.clear(),
    save: (key) => port.save(JSON.stringify({ key, origin: originOf(baseUrl()) })),
    problem,
    async load() {
      return (await problem()) === undefined ? (await stored())?.key : undefined;
    },
    async require() {
      const why = await problem();
      if (why) throw new EngineFailure(engineError('auth', why, { pause: 'auth' }));
      return (await stored())?.key;
    },
  };
}

/** A saved key with its origin (JSON), or a bare key stored before keys were bound. */
function decode(text: string): StoredKey {
  if (!text.startsWith('{')) return { key: text };
  try {
    const parsed = JSON.parse(text) as Partial<StoredKey>;
    if (typeof parsed.key === 'string' && typeof parsed.origin === 'string') {
      return { key: parsed.key, origin: parsed.origin };
    }
  } catch {
    // Not a saved binding: a key that happens to start with "{".
  }
  return { key: text };
}
