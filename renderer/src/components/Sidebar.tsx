// The window's left column: the five views with live counts, the toasts (in flow, in the room
// between the views and the foot, so they never cover a control), the queue's state in words, and
// pause/resume for everything. Always visible, so the queue can be paused from any view.
import type { ReactNode } from 'react';
import type { KeyStatus, QueueStats } from '../../../main/contract/schemas.ts';
import { filterCount } from '../lib/job-text.ts';
import { Icon, type IconName } from './Icon.tsx';
import { formatCount } from '../lib/format.ts';

export type ViewName = 'queue' | 'results' | 'watch' | 'spend' | 'settings';

const VIEWS: { id: ViewName; label: string; icon: IconName; shortcut: string }[] = [
  { id: 'queue', label: 'Queue', icon: 'queue', shortcut: '1' },
  { id: 'results', label: 'Results', icon: 'results', shortcut: '2' },
  { id: 'watch', label: 'Watched folders', icon: 'watch', shortcut: '3' },
  { id: 'spend', label: 'Spend', icon: 'wallet', shortcut: '5' },
  { id: 'settings', label: 'Settings', icon: 'settings', shortcut: '4' },
];

/** The queue waits for a key nobody has entered yet (first run): not a pause anyone made. */
function needsKey(stats: QueueStats | null, keyStatus: KeyStatus | null): boolean {
  return stats?.paused === 'auth' && keyStatus?.state === 'not-set';
}

function queueState(stats: QueueStats | null, keyStatus: KeyStatus | null): string {
  if (!stats) return 'Connecting…';
  const active = filterCount('active', stats.counts);
  if (needsKey(stats, keyStatus))
    return active > 0
      ? `${formatCount(active)} waiting for an API key`
      : 'Starts once a key is set';
  if (stats.paused) return `Paused · ${formatCount(active)} waiting`;
  const working =
    (stats.counts.preparing ?? 0) +
    (stats.counts.uploading ?? 0) +
    (stats.counts.submitting ?? 0) +
    (stats.counts.running ?? 0) +
    (stats.counts.downloading ?? 0);
  if (working > 0) return `Working on ${formatCount(working)}`;
  return active > 0 ? `${formatCount(active)} waiting` : 'Idle';
}

export function Sidebar({
  view,
  onView,
  stats,
  keyStatus,
  onTogglePause,
  children,
}: {
  view: ViewName;
  onView: (view: ViewName) => void;
  stats: QueueStats | null;
  keyStatus: KeyStatus | null;
  onTogglePause: () => void;
  /** The toasts. */
  children?: ReactNode;
}) {
  const badges: Partial<Record<ViewName, number>> = stats
    ? { queue: filterCount('active', stats.counts), results: stats.counts.done ?? 0 }
    : {};
  const keyless = needsKey(stats, keyStatus);
  const paused = Boolean(stats?.paused) && !keyless;
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="logo" size={18} />
        </span>
        <span className="brand-name">GenQueue</span>
      </div>
      <ul className="nav-list">
        {VIEWS.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={view === item.id ? 'page' : undefined}
              aria-keyshortcuts={`Control+${item.shortcut}`}
              onClick={() => onView(item.id)}
            >
              <Icon name={item.icon} />
              <span className="nav-label">{item.label}</span>
              {badges[item.id] ? (
                <span className="nav-badge">{formatCount(badges[item.id]!)}</span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      {children}
      <div className="sidebar-foot">
        {keyStatus?.state === 'simulator' && (
          <p className="sim-chip" title="Results come from the built-in simulator, not APIMart.">
            <Icon name="flask" size={14} /> Simulator — results are simulated
          </p>
        )}
        <p className="queue-state" aria-live="polite">
          <span
            className={`state-dot ${keyless ? 'idle' : paused ? 'paused' : 'running'}`}
            aria-hidden="true"
          />
          {queueState(stats, keyStatus)}
        </p>
        {keyless ? (
          <button type="button" className="button wide" onClick={() => onView('settings')}>
            <Icon name="key" /> Add an API key
          </button>
        ) : (
          <button
            type="button"
            className="button wide"
            onClick={onTogglePause}
            disabled={!stats || stats.paused === 'offline'}
          >
            <Icon name={paused ? 'play' : 'pause'} />
            {paused ? 'Resume queue' : 'Pause queue'}
          </button>
        )}
      </div>
    </nav>
  );
}
