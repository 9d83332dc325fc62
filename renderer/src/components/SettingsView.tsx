// Settings: the API key, the service address, the default recipe, outputs and naming, metadata,
// spending caps and prices, how much runs at once, and the theme. Every change goes to the engine,
// which validates it and keeps it (electron-store in the app), so it survives a restart.
import type { KeyStatus } from '../../../main/contract/schemas.ts';
import type { SettingsState } from '../hooks/use-settings.ts';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { CommitField } from './CommitField.tsx';
import { ConcurrencySettings } from './ConcurrencySettings.tsx';
import { DefaultRecipeSettings } from './DefaultRecipeSettings.tsx';
import { KeyPanel } from './KeyPanel.tsx';
import { OutputSettings } from './OutputSettings.tsx';
import { SettingsSection } from './SettingsSection.tsx';
import { SpendSettings } from './SpendSettings.tsx';

interface Props {
  state: SettingsState;
  keyStatus: KeyStatus | null;
  onKeyStatus: (status: KeyStatus) => void;
}

const THEMES = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function SettingsView({ state, keyStatus, onKeyStatus }: Props) {
  const { settings, update } = state;
  return (
    <section className="view settings-view" aria-label="Settings">
      <header className="view-header">
        <div>
          <h1>Settings</h1>
          <p className="view-sub">Changes are saved as you make them.</p>
        </div>
      </header>
      <div className="settings-scroll">
        <SettingsSection
          title="APIMart account"
          description="The key never leaves the app's secure storage; this window only knows whether one is set."
        >
          <KeyPanel status={keyStatus} onStatus={onKeyStatus} />
        </SettingsSection>
        {settings && (
          <>
            <SettingsSection title="Service">
              <CommitField
                key={settings.baseUrl}
                label="API address"
                type="url"
                value={settings.baseUrl}
                onCommit={(baseUrl) => update({ baseUrl })}
                hint="Change it only if APIMart gave you another address."
              />
            </SettingsSection>
            <SettingsSection
              title="Default recipe"
              description="What new images are made with, unless the recipe bar or a watched folder says otherwise."
            >
              <DefaultRecipeSettings settings={settings} update={update} />
            </SettingsSection>
            <SettingsSection title="Output">
              <OutputSettings settings={settings} update={update} />
            </SettingsSection>
            <SettingsSection
              title="Spending"
              description="Caps and prices. Each watched folder can have a daily cap of its own; a run from the command line takes --max-spend."
            >
              <SpendSettings settings={settings} update={update} />
            </SettingsSection>
            <SettingsSection
              title="Performance"
              description="How much runs at once. GenQueue slows down by itself when APIMart asks it to."
            >
              <ConcurrencySettings settings={settings} update={update} />
            </SettingsSection>
            <SettingsSection title="Appearance">
              <ChoiceGroup
                legend="Theme"
                inline
                value={settings.theme}
                options={THEMES}
                onChange={(theme) => update({ theme })}
              />
            </SettingsSection>
          </>
        )}
      </div>
    </section>
  );
}
