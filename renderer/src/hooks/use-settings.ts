// The engine's settings as the window shows them, and the one way to change them: each update
// goes through `settings.update` and the engine's answer (validated, merged) becomes the state.
import { useCallback, useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import type { EngineClient } from '../engine-client.ts';

export interface SettingsState {
  settings: Settings | null;
  /** Applies a patch; throws the engine's error (a sentence) when the value is refused. */
  update(patch: SettingsPatch): Promise<Settings>;
}

export function useSettings(client: EngineClient): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    let live = true;
    client.call('settings.get', {}).then(
      (value) => live && setSettings(value),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);
  const update = useCallback(
    async (patch: SettingsPatch) => {
      const next = await client.call('settings.update', patch);
      setSettings(next);
      return next;
    },
    [client],
  );
  return { settings, update };
}
