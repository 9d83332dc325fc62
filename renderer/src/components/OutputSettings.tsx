// Where results go and what they are called: the output folder (typed or chosen), the naming
// template with a live preview of the names it makes (and how a second photo of the same name is
// told apart), and what happens to a photo's metadata.
import {
  fileNameFromTemplate,
  NAME_PLACEHOLDERS,
  unknownPlaceholders,
  withSuffix,
} from '../../../main/contract/naming.ts';
import type { Settings, SettingsPatch } from '../../../main/contract/schemas.ts';
import { useApp } from '../hooks/use-app.ts';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { CommitField } from './CommitField.tsx';
import { Icon } from './Icon.tsx';

/** The job the naming preview names: a typical photo's first result. */
const SAMPLE = {
  name: 'holiday-photo',
  folder: '100CANON',
  index: 1,
  ext: 'png',
  taskId: 'task_01JX2K9',
};
/** A photo of the same name from another folder: a job of its own. */
const SAME_NAME = { ...SAMPLE, folder: '101CANON', taskId: 'task_01JX2KB' };

/** What the two samples are called; the engine adds " (2)" when the template names them alike. */
function previewNames(template: string, model: string): [string, string] {
  const first = fileNameFromTemplate(template, { ...SAMPLE, model });
  const second = fileNameFromTemplate(template, { ...SAME_NAME, model });
  return [first, second === first ? withSuffix(second, 2) : second];
}

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
        hint={`Placeholders: ${NAME_PLACEHOLDERS.join(' ')}. {folder} is the photo's folder, like 100CANON. A name already taken gets “ (2)”; a very long name is shortened to fit.`}
        preview={(draft) => {
          const unknown = unknownPlaceholders(draft);
          const [first, second] = previewNames(draft, settings.defaultRecipe.model);
          return (
            <p className="name-preview" aria-live="polite">
              <span className="muted">Preview:</span>{' '}
              <output data-testid="name-preview">{first}</output>
              <br />
              <span className="muted">Another {SAMPLE.name}, from a different folder:</span>{' '}
              <output data-testid="name-preview-same-name">{second}</output>
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
