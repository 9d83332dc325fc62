// What a watched folder does, on its card: the prompt its images are made with, where the results
// go, and its most recent files with how each one is doing.
import type { WatchFolderView } from '../../../main/contract/watch.ts';
import { useRecentFiles } from '../hooks/use-recent-files.ts';
import type { EditableRecipe } from '../lib/recipe.ts';
import { StagePill } from './StagePill.tsx';

interface Props {
  folder: WatchFolderView;
  defaultRecipe: EditableRecipe;
  /** The settings' output folder (results beside each source when unset). */
  outputDir: string | undefined;
}

function RecentFiles({ folder }: { folder: WatchFolderView }) {
  const { counts, lastEventAt } = folder;
  const jobs = useRecentFiles(
    folder.id,
    `${counts.queued}/${counts.done}/${counts.failed}/${lastEventAt ?? 0}`,
  );
  if (!jobs) return <dd className="muted">…</dd>;
  if (jobs.length === 0) return <dd className="muted">None yet: save an image into the folder.</dd>;
  return (
    <dd>
      <ul className="watch-recent" aria-label="Recent files">
        {jobs.map((job) => (
          <li key={job.id}>
            <span className="watch-recent-name" title={job.source}>
              {job.name}
            </span>
            <StagePill stage={job.stage} />
          </li>
        ))}
      </ul>
    </dd>
  );
}

export function WatchFolderDetails({ folder, defaultRecipe, outputDir }: Props) {
  const prompt = folder.recipe?.prompt ?? defaultRecipe.prompt;
  const out = folder.outDir ?? outputDir;
  return (
    <dl className="watch-details">
      <div>
        <dt>Prompt{folder.recipe?.prompt === undefined ? ' (the default recipe’s)' : ''}</dt>
        <dd className="watch-prompt">{prompt}</dd>
      </div>
      <div>
        <dt>Results go to</dt>
        <dd title={out}>{out ?? 'Beside each image, in a genqueue-output folder'}</dd>
      </div>
      <div>
        <dt>Recent files</dt>
        <RecentFiles folder={folder} />
      </div>
    </dl>
  );
}
