// Where results go and what they are called: the output folder (typed or chosen), the naming
// template with a live preview of the name it makes, and what happens to a photo's metadata.
import {
  fileNameFromTemplate,
  NAME_PLACEHOLDERS,
  unknownPlaceholders,
} from '../../../main/contract/naming.ts';
import type { Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { CommitField } from './CommitField.tsx';
import { Icon } from './Icon.tsx';

/** The job the naming preview names: a typical photo's first result. */
const SAMPLE = { name: 'holiday-photo', index: 1, ext: 'png', taskId: 'task_01JX2K9' };

interface Props {
  settings: Settings;
  update: (patch: SettingsPatch) => Promise<Settings>;
}

const METADATA = [
  {
    value: 'strip',
    label: 'Remove all metadata',
    detail: 'Recommended. Camera details and GPS location never leave this computer.',
  },
  {
    value: 'keep',
    label: 'Keep camera details, remove location',
    detail: 'Date, camera and lens are sent; GPS coordinates are removed.',
  },
  {
    value: 'keep-with-gps',
    label: 'Keep everything, including location',
    detail: 'The GPS position where the photo was taken is sent to APIMart too.',
  },
] as const;

export function OutputSettings({ settings, update }: Props) {
  const { client, act } = useApp();
  const chooseFolder = () =>
    act(async () => {
      const [path] = (await client.call('files.pick', { kind: 'folder' })).paths;
      if (path) await update({ outputDir: path });
    });
  return (
    <>
      <CommitField
        key={`out-${settings.outputDir ?? ''}`}
        label="Output folder"
        value={settings.outputDir ?? ''}
        placeholder="Beside each source, in a genqueue-output folder"
        onCommit={(value) => update({ outputDir: value.trim() || undefined })}
      >
        <button type="button" className="button" onClick={chooseFolder}>
          <Icon name="folder" size={14} /> Choose…
        </button>
      </CommitField>
      <CommitField
        key={`name-${settings.namingTemplate}`}
        label="File names"
        value={settings.namingTemplate}
        onCommit={(value) => update({ namingTemplate: value })}
        hint={`Placeholders: ${NAME_PLACEHOLDERS.join(' ')}. A name already taken gets “ (2)”.`}
        preview={(draft) => {
          const unknown = unknownPlaceholders(draft);
          return (
            <p className="name-preview" aria-live="polite">
              <span className="muted">Preview:</span>{' '}
              <output data-testid="name-preview">
                {fileNameFromTemplate(draft, {
                  ...SAMPLE,
                  model: settings.defaultRecipe.model,
                })}
              </output>
              {unknown.length > 0 && (
                <span className="field-error"> Unknown: {unknown.join(' ')} (kept as typed)</span>
              )}
            </p>
          );
        }}
      />
      <ChoiceGroup
        legend="Photo metadata"
        value={settings.metadata}
        options={METADATA}
        onChange={(metadata) => act(() => update({ metadata }), 'Metadata policy saved.')}
      />
    </>
  );
}
