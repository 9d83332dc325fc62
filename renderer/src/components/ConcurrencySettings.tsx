// How much GenQueue does at once, per stage. The engine lowers the generation count by itself
// when APIMart asks it to slow down; these are the ceilings.
import type { Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import { CommitField } from './CommitField.tsx';

interface Props {
  settings: Settings;
  update: (patch: SettingsPatch) => Promise<Settings>;
}

const LIMITS = [
  {
    key: 'prepare',
    label: 'Preparing',
    max: 16,
    hint: 'Images decoded and resized at once (CPU).',
  },
  { key: 'upload', label: 'Uploading', max: 32, hint: 'Uploads at once.' },
  { key: 'running', label: 'Generating', max: 256, hint: 'Tasks running at APIMart at once.' },
  { key: 'download', label: 'Downloading', max: 32, hint: 'Results fetched at once.' },
] as const;

export function ConcurrencySettings({ settings, update }: Props) {
  return (
    <div className="concurrency-grid">
      {LIMITS.map((limit) => (
        <CommitField
          key={`${limit.key}-${settings.concurrency[limit.key]}`}
          label={limit.label}
          type="number"
          min={1}
          max={limit.max}
          value={String(settings.concurrency[limit.key])}
          hint={limit.hint}
          onCommit={(value) => update({ concurrency: { [limit.key]: Number(value) } })}
        />
      ))}
    </div>
  );
}
