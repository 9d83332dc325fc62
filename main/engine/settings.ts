// Settings as the engine sees them: whatever the host persisted, merged over the defaults and
// validated by the contract's schema, so a hand-edited or older settings file can never put the
// engine in a state the schema does not allow. Invalid stored fields fall back to defaults.
import { EngineFailure, engineError } from '../contract/errors.ts';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../contract/schemas.ts';
import type { SettingsPort } from './host/ports.ts';

export interface SettingsService {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
}

export function createSettingsService(port: SettingsPort): SettingsService {
  let current = load(port.read());
  return {
    get: () => current,
    update(patch) {
      const merged = {
        ...current,
        ...patch,
        concurrency: { ...current.concurrency, ...patch.concurrency },
      };
      const parsed = SettingsSchema.safeParse(merged);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new EngineFailure(
          engineError(
            'bad_input',
            `That setting is not valid: ${issue?.path.join('.')}: ${issue?.message}.`,
          ),
        );
      }
      current = parsed.data;
      port.write(current);
      return current;
    },
  };
}

function load(stored: unknown): Settings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(stored)) {
    if (!(key in SettingsSchema.shape)) continue;
    const field = SettingsSchema.shape[key as keyof Settings].safeParse(value);
    if (field.success) settings[key] = field.data;
  }
  const parsed = SettingsSchema.safeParse(settings);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
