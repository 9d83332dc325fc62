// What the engine needs from whoever hosts it (the Electron app, the CLI, a test bridge), as
// plain interfaces. The engine never reaches for Electron, the keychain or a dialog itself:
// each host hands in its own implementation of these ports.
export interface SettingsPort {
  /** The persisted settings object as stored (may be partial or stale; the engine validates it). */
  read(): unknown;
  write(settings: unknown): void;
  /** A sentence for the person when the stored settings could not be used (moved aside). */
  readonly notice?: string;
}

export interface SecretsPort {
  /** Where the key is kept, in words ("OS keychain (gnome_libsecret)", "APIMART_API_KEY"). */
  readonly backend: string;
  /** True when the backend only obfuscates (Linux basic_text). */
  readonly weak: boolean;
  /** The secret as saved: the engine saves the key with the origin it is for (key-binding.ts). */
  load(): Promise<string | undefined>;
  save(secret: string): Promise<void>;
  clear(): Promise<void>;
}

export interface DesktopPort {
  pickPaths(kind: 'files' | 'folder'): Promise<string[]>;
  open(path: string): Promise<void>;
  reveal(path: string): Promise<void>;
  /** Puts the image at `path` on the clipboard; hosts without an image clipboard leave it out. */
  copyImage?(path: string): Promise<void>;
}

/** A running stand-in for APIMart: where to send requests, and the key it accepts. */
export interface RunningSimulator {
  readonly url: string;
  readonly apiKey: string;
  close(): Promise<void>;
}

/**
 * Starts a simulator when the person asks for one ("try without a key", `--simulate`), keeping
 * its tasks, uploads and keys in `dataDir` so that a run stopped and started again resumes.
 */
export type SimulatorPort = (options: { dataDir: string }) => Promise<RunningSimulator>;

/** Secrets held in memory only: tests, and hosts with no keychain. */
export function memorySecrets(initial?: string, backend = 'memory'): SecretsPort {
  let key = initial;
  return {
    backend,
    weak: false,
    load: async () => key,
    save: async (next) => {
      key = next;
    },
    clear: async () => {
      key = undefined;
    },
  };
}

/** Settings held in memory only: tests. */
export function memorySettings(initial: unknown = {}): SettingsPort {
  let value = initial;
  return {
    read: () => value,
    write: (next) => {
      value = next;
    },
  };
}
