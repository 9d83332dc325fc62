// Where the engine's requests go and with which key: APIMart (or the host's base URL) with the
// key bound to that origin, or the host's simulator when the person tries GenQueue without a key.
// One client per base URL, made again when it changes; the key status the window may see.
import { originOf } from '../../contract/base-url.ts';
import { fail } from '../../contract/errors.ts';
import { DEFAULT_SETTINGS, type KeyStatus } from '../../contract/schemas.ts';
import type { RunningSimulator, SecretsPort, SimulatorPort } from '../host/ports.ts';
import { bindKey } from '../key-binding.ts';
import type { RateGovernor } from '../queue/rate-governor.ts';
import type { SettingsService } from '../settings.ts';
import { createApimartClient, type ApimartClient, type ApimartClientOptions } from './client.ts';
import type { KeyHonour, KeySupport } from './key-support.ts';

export interface ConnectionOptions {
  secrets: SecretsPort;
  settings: SettingsService;
  governor: RateGovernor;
  /** The host's base URL, over the settings' (the CLI's APIMART_BASE_URL). */
  baseUrl?: string;
  /** The host's simulator port, its data directory already chosen by the engine. */
  simulator?: () => ReturnType<SimulatorPort>;
  timeouts?: ApimartClientOptions['timeouts'];
  /** What each origin has shown about idempotency keys. */
  keySupport: KeySupport;
}

export type Connection = ReturnType<typeof createConnection>;

export function createConnection(options: ConnectionOptions) {
  let simulator: RunningSimulator | undefined;
  let client: ApimartClient | undefined;
  let clientFor = '';
  /** Where requests would go without the simulator: the host's override, else the settings'. */
  const realBaseUrl = (): string => options.baseUrl ?? options.settings.get().baseUrl;
  const baseUrl = (): string => simulator?.url ?? realBaseUrl();
  const keys = bindKey(
    options.secrets,
    realBaseUrl,
    originOf(options.baseUrl ?? DEFAULT_SETTINGS.baseUrl),
  );
  const apiKey = async (): Promise<string | undefined> =>
    simulator?.apiKey ?? (await keys.require());

  return {
    baseUrl,
    keys,
    simulated: (): boolean => simulator !== undefined,
    /** Whether APIMart, where requests go now, honours idempotency keys. */
    keyHonour: (): KeyHonour => options.keySupport.state(originOf(baseUrl())),

    client(): ApimartClient {
      if (!client || clientFor !== baseUrl()) {
        void client?.close();
        clientFor = baseUrl();
        client = createApimartClient({
          baseUrl: clientFor,
          apiKey,
          gate: (signal) => options.governor.waitTurn(signal),
          onEvidence: (evidence) => options.keySupport.saw(originOf(clientFor), evidence),
          ...(options.timeouts && { timeouts: options.timeouts }),
        });
      }
      return client;
    },

    async keyStatus(): Promise<KeyStatus> {
      if (simulator)
        return { state: 'simulator', backend: 'built-in simulator', weakBackend: false };
      const key = await keys.load();
      return {
        state: key ? 'set' : 'not-set',
        backend: options.secrets.backend,
        weakBackend: options.secrets.weak,
      };
    },

    /** Switches the simulator on or off; the key in use changes either way. */
    async useSimulator(enabled: boolean): Promise<void> {
      if (enabled && !simulator) {
        if (!options.simulator) fail('bad_input', 'This GenQueue has no built-in simulator.');
        simulator = await options.simulator();
      }
      if (!enabled && simulator) {
        await simulator.close();
        simulator = undefined;
      }
    },

    /** The client and the simulator, closed (each waited for by the caller's time limit). */
    closing: (): Promise<unknown>[] =>
      [client?.close(), simulator?.close()].flatMap((p) => p ?? []),
  };
}
