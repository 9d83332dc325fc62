// The API key, without ever showing it: paste one (kept by the OS through safeStorage; a plain
// warning when this computer has no keychain to lock it in), test the connection through the
// balance route, remove it, or try GenQueue with the built-in simulator. Shared by onboarding and
// Settings.
import { useId, useState, type FormEvent } from 'react';
import type { Balance, KeyStatus } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { Icon } from './Icon.tsx';

interface Props {
  status: KeyStatus | null;
  onStatus: (status: KeyStatus) => void;
}

type Test =
  | { state: 'idle' | 'testing' }
  | { state: 'ok'; balance: Balance }
  | { state: 'error'; message: string };

/** Where the key is kept, in words a person knows (not safeStorage's backend names). */
function keyPlace(status: KeyStatus): string {
  if (status.weakBackend) return 'on this computer, not encrypted';
  const backend = status.backend;
  if (/keychain/i.test(backend)) return 'in your system keychain';
  if (/libsecret|gnome/i.test(backend)) return 'in your desktop keyring';
  if (/kwallet/i.test(backend)) return 'in KDE Wallet';
  if (backend === 'APIMART_API_KEY') return 'in the APIMART_API_KEY environment variable';
  return `in ${backend}`;
}

function balanceText(balance: Balance): string {
  if (balance.unlimited) return 'Connected · unlimited balance';
  if (balance.remaining === null) return 'Connected';
  return `Connected · ${balance.remaining.toLocaleString('en')} remaining`;
}

export function KeyPanel({ status, onStatus }: Props) {
  const { client, act } = useApp();
  const id = useId();
  const [key, setKey] = useState('');
  const [test, setTest] = useState<Test>({ state: 'idle' });

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    await act(async () => {
      onStatus(await client.call('key.set', { key }));
      setKey('');
      setTest({ state: 'idle' });
    }, 'API key saved.');
  }

  async function testConnection(): Promise<void> {
    setTest({ state: 'testing' });
    try {
      setTest({ state: 'ok', balance: await client.call('key.test', {}) });
    } catch (error) {
      setTest({ state: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  const simulator = status?.state === 'simulator';
  return (
    <div className="key-panel">
      <p className="key-status" data-state={status?.state}>
        <Icon name={simulator ? 'flask' : 'key'} />
        {status?.state === 'set' && (
          <>
            <span className="masked" aria-label="API key set, hidden">
              ••••••••••••••••
            </span>
            <span className="muted">Kept {keyPlace(status)}</span>
          </>
        )}
        {status?.state === 'not-set' && <span>No API key is set.</span>}
        {simulator && (
          <span>Using the built-in simulator: results are simulated, nothing is billed.</span>
        )}
      </p>
      {status?.weakBackend && (
        <p className="callout warn" role="alert">
          This computer has no keychain GenQueue can lock your key in, so a key you save here is
          kept on disk without encryption: anyone who can open your files could read it and spend
          your APIMart balance. Set up a keyring (such as GNOME Keyring or KDE Wallet) first, or try
          GenQueue without a key.
        </p>
      )}
      <form className="key-form" onSubmit={save}>
        <label htmlFor={`${id}-key`}>
          {status?.state === 'set' ? 'Replace the key' : 'APIMart API key'}
        </label>
        <div className="input-row">
          <input
            id={`${id}-key`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="Paste your key (sk-…)"
            value={key}
            onChange={(event) => setKey(event.target.value)}
          />
          <button type="submit" className="button primary" disabled={key.trim().length < 8}>
            Save key
          </button>
        </div>
      </form>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={status?.state === 'not-set' || test.state === 'testing'}
          onClick={testConnection}
        >
          <Icon name="wallet" size={14} />{' '}
          {test.state === 'testing' ? 'Testing…' : 'Test connection'}
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={() =>
            act(async () => {
              onStatus(await client.call('key.useSimulator', { enabled: !simulator }));
              setTest({ state: 'idle' });
            })
          }
        >
          <Icon name="flask" size={14} />{' '}
          {simulator ? 'Stop using the simulator' : 'Try without a key'}
        </button>
        {status?.state === 'set' && (
          <button
            type="button"
            className="button ghost danger"
            onClick={() =>
              act(async () => onStatus(await client.call('key.clear', {})), 'API key removed.')
            }
          >
            Remove key
          </button>
        )}
      </div>
      {test.state === 'ok' && (
        <p className="test-result ok" role="status">
          <Icon name="check" size={14} /> {balanceText(test.balance)}
          {simulator && ' (simulator)'}
        </p>
      )}
      {test.state === 'error' && (
        <p className="test-result error" role="alert">
          <Icon name="alert" size={14} /> {test.message}
        </p>
      )}
    </div>
  );
}
