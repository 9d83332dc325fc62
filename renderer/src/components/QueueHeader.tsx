// The queue's title line: how many jobs, how many still to do (paused ones said to be paused, not
// active), and the two ways to add images.
import type { QueueStats } from '../../../main/contract/schemas.ts';
import { formatCount, plural } from '../lib/format.ts';
import { filterCount } from '../lib/job-text.ts';
import { Icon } from './Icon.tsx';

export function queueSummary(stats: QueueStats): string {
  const unfinished = filterCount('active', stats.counts);
  return `${plural(stats.total, 'job')} · ${formatCount(unfinished)} ${stats.paused ? 'paused' : 'active'}`;
}

export function QueueHeader({
  stats,
  onAdd,
}: {
  stats: QueueStats | null;
  onAdd: (kind: 'files' | 'folder') => void;
}) {
  return (
    <header className="view-header">
      <div>
        <h1>Queue</h1>
        <p className="view-sub">{stats ? queueSummary(stats) : ' '}</p>
      </div>
      <div className="header-actions">
        <button type="button" className="button" onClick={() => onAdd('folder')}>
          <Icon name="folder" /> Add folder
        </button>
        <button
          type="button"
          className="button primary"
          aria-keyshortcuts="Control+O"
          onClick={() => onAdd('files')}
        >
          <Icon name="plus" /> Add images
        </button>
      </div>
    </header>
  );
}
