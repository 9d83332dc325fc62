// One watched folder: its path and live status (watching, starting, an error in words), its prompt,
// where results go and its recent files, how many jobs it queued and how they ended, and switch /
// edit / remove — editing inline.
import { useState } from 'react';
import type { WatchFolderView, WatchStatus } from '../../../main/contract/watch.ts';
import { useApp } from '../hooks/use-app.ts';
import { useNow } from '../hooks/use-now.ts';
import { formatCount, relativeTime } from '../lib/format.ts';
import { recipeSummary, type EditableRecipe } from '../lib/recipe.ts';
import { Icon } from './Icon.tsx';
import { WatchFolderDetails } from './WatchFolderDetails.tsx';
import { WatchFolderForm } from './WatchFolderForm.tsx';

const STATUS: Record<WatchStatus, string> = {
  starting: 'Starting',
  watching: 'Watching',
  error: 'Not watching',
  disabled: 'Switched off',
};

export function WatchFolderCard({
  folder,
  defaultRecipe,
  outputDir,
}: {
  folder: WatchFolderView;
  defaultRecipe: EditableRecipe;
  /** The settings' output folder, where results go unless the folder says otherwise. */
  outputDir: string | undefined;
}) {
  const { client, act } = useApp();
  const [editing, setEditing] = useState(false);
  const now = useNow(folder.lastEventAt !== undefined, 15_000);
  if (editing) {
    return (
      <WatchFolderForm
        initial={folder}
        defaultRecipe={defaultRecipe}
        title="Edit watched folder"
        submitLabel="Save changes"
        onSubmit={(values) =>
          act(
            () => client.call('watch.update', { ...values, id: folder.id }),
            'Watched folder saved.',
          )
        }
        onCancel={() => setEditing(false)}
      />
    );
  }
  const counts: [string, number][] = [
    ['queued', folder.counts.queued],
    ['done', folder.counts.done],
    ['failed', folder.counts.failed],
    ['skipped', folder.counts.skipped],
  ];
  return (
    <article className="watch-card card" aria-label={folder.path} data-status={folder.status}>
      <div className="watch-head">
        <span className="watch-icon">
          <Icon name="folder" size={20} />
        </span>
        <div className="watch-title">
          <h2 title={folder.path}>{folder.path}</h2>
          <p className="muted">
            {folder.recipe
              ? recipeSummary({ ...defaultRecipe, ...folder.recipe })
              : `Default recipe · ${recipeSummary(defaultRecipe)}`}
            {folder.recursive ? ' · with sub-folders' : ''}
          </p>
        </div>
        <span className={`watch-status status-${folder.status}`} role="status">
          <span className="state-dot" aria-hidden="true" />
          {STATUS[folder.status]}
        </span>
      </div>
      <WatchFolderDetails folder={folder} defaultRecipe={defaultRecipe} outputDir={outputDir} />
      {folder.error && (
        <p className="callout error" role="alert">
          {folder.error}
        </p>
      )}
      {folder.skippedFiles.length > 0 && (
        <details className="watch-skipped">
          <summary>Files passed over</summary>
          <ul>
            {folder.skippedFiles.map((file) => (
              <li key={file.path}>
                <span title={file.path}>{file.path}</span>: {file.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="watch-foot">
        <dl className="watch-counts">
          {counts.map(([label, count]) => (
            <div key={label} className={`count-chip count-${label}`}>
              <dt>{label}</dt>
              <dd>{formatCount(count)}</dd>
            </div>
          ))}
        </dl>
        {folder.lastEventAt && (
          <span className="muted">
            Last file{' '}
            {folder.lastEventAt > now - 5000 ? 'just now' : relativeTime(folder.lastEventAt, now)}
          </span>
        )}
        <div className="watch-actions">
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={folder.enabled}
              onChange={(event) =>
                act(() =>
                  client.call('watch.update', { id: folder.id, enabled: event.target.checked }),
                )
              }
            />
            <span>{folder.enabled ? 'On' : 'Off'}</span>
          </label>
          <button
            type="button"
            className="icon-button"
            aria-label={`Open ${folder.path}`}
            title="Open folder"
            onClick={() => act(() => client.call('shell.open', { path: folder.path }))}
          >
            <Icon name="open" size={15} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Edit ${folder.path}`}
            title="Edit"
            onClick={() => setEditing(true)}
          >
            <Icon name="edit" size={15} />
          </button>
          <button
            type="button"
            className="icon-button danger"
            aria-label={`Stop watching ${folder.path}`}
            title="Stop watching"
            onClick={() =>
              act(
                () => client.call('watch.remove', { id: folder.id }),
                'No longer watching the folder.',
              )
            }
          >
            <Icon name="trash" size={15} />
          </button>
        </div>
      </div>
    </article>
  );
}
