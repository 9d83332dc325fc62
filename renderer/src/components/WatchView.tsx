// Watched folders: add one with the folder picker (then choose its options inline), and each
// folder's live status, counts and errors. Files that land in a watched folder are queued by the
// engine once they stop changing.
import { useState } from 'react';
import type { Settings } from '../../../main/contract/schemas.ts';
import type { WatchFolderSettings } from '../../../main/contract/watch.ts';
import { useApp } from '../hooks/use-app.ts';
import { useWatchFolders } from '../hooks/use-watch-folders.ts';
import { plural } from '../lib/format.ts';
import { EmptyState } from './EmptyState.tsx';
import { Icon } from './Icon.tsx';
import { WatchFolderCard } from './WatchFolderCard.tsx';
import { WatchFolderForm } from './WatchFolderForm.tsx';

const NEW_FOLDER: Omit<WatchFolderSettings, 'path'> = {
  recursive: true,
  include: [],
  exclude: [],
  existing: 'process',
  afterSuccess: 'keep',
  afterFailure: 'keep',
};

export function WatchView({ settings }: { settings: Settings | null }) {
  const { client, act } = useApp();
  const folders = useWatchFolders(client);
  const [adding, setAdding] = useState<string | null>(null);
  const pick = () =>
    act(async () => {
      const [path] = (await client.call('files.pick', { kind: 'folder' })).paths;
      if (path) setAdding(path);
    });
  const defaultRecipe = settings?.defaultRecipe;
  return (
    <section className="view watch-view" aria-label="Watched folders">
      <header className="view-header">
        <div>
          <h1>Watched folders</h1>
          <p className="view-sub">
            {folders ? plural(folders.length, 'folder') : ' '} · new images in them are queued
            automatically
          </p>
        </div>
        <div className="header-actions">
          <button type="button" className="button primary" onClick={pick}>
            <Icon name="plus" /> Add folder
          </button>
        </div>
      </header>
      <div className="settings-scroll">
        {adding && defaultRecipe && (
          <WatchFolderForm
            initial={{ ...NEW_FOLDER, path: adding }}
            defaultRecipe={defaultRecipe}
            title="Watch a new folder"
            submitLabel="Start watching"
            onSubmit={(values) =>
              act(() => client.call('watch.add', values), 'Watching the folder.')
            }
            onCancel={() => setAdding(null)}
          />
        )}
        {folders?.length === 0 && !adding && (
          <EmptyState icon="watch" title="No watched folders">
            <p>Add a folder and every image saved into it is turned into a result by itself.</p>
            <button type="button" className="button primary" onClick={pick}>
              <Icon name="plus" /> Add folder
            </button>
          </EmptyState>
        )}
        {defaultRecipe &&
          folders?.map((folder) => (
            <WatchFolderCard
              key={folder.id}
              folder={folder}
              defaultRecipe={defaultRecipe}
              outputDir={settings?.outputDir}
            />
          ))}
      </div>
    </section>
  );
}
