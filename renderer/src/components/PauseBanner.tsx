// The banner across the top when the queue is held: offline, the key refused, the balance used up,
// the disk, or the person's own pause. It says how many jobs wait, and what happens next — by
// itself (offline) or after the person acts (a key, a top-up, resume).
import type { ReactNode } from 'react';
import type { PauseReason } from '../../../main/contract/errors.ts';
import type { NetStatus, QueueStats } from '../../../main/contract/schemas.ts';
import { useNow } from '../hooks/use-now.ts';
import { plural, relativeTime } from '../lib/format.ts';
import { filterCount } from '../lib/job-text.ts';
import { Icon, type IconName } from './Icon.tsx';

interface Props {
  stats: QueueStats | null;
  net: NetStatus | null;
  /** No key is set at all (rather than a key APIMart refused). */
  keyMissing: boolean;
  onResume: () => void;
  onOpenSettings: () => void;
  onCheckBalance: () => void;
}

const ICONS: Record<PauseReason, IconName> = {
  offline: 'offline',
  auth: 'key',
  balance: 'wallet',
  disk: 'disk',
  user: 'pause',
};

export function PauseBanner(props: Props) {
  const { stats, net, keyMissing, onResume, onOpenSettings, onCheckBalance } = props;
  const reason: PauseReason | null = stats?.paused ?? (net?.state === 'offline' ? 'offline' : null);
  const now = useNow(reason === 'offline');
  if (!stats || !reason) return null;
  const count = filterCount('active', stats.counts);
  const waiting = plural(count, 'job');
  const waitVerb = count === 1 ? 'waits' : 'wait';
  const stayVerb = count === 1 ? 'stays' : 'stay';
  const resume = (
    <button type="button" className="button" onClick={onResume}>
      <Icon name="play" /> Resume
    </button>
  );
  let title: string;
  let body: ReactNode;
  let actions: ReactNode = resume;
  switch (reason) {
    case 'offline': {
      const next = net?.nextProbeAt;
      title = 'You are offline';
      body = `APIMart cannot be reached. ${waiting} ${waitVerb} without using up any attempts; GenQueue checks the connection again ${next ? relativeTime(next, now) : 'shortly'} and carries on by itself.`;
      actions = null;
      break;
    }
    case 'auth':
      title = keyMissing ? 'No API key yet' : 'APIMart did not accept the API key';
      body = `${keyMissing ? '' : (stats.pauseMessage ?? '')} ${waiting} ${stayVerb} queued until a working key is set, or you try the built-in simulator.`;
      actions = (
        <>
          <button type="button" className="button primary" onClick={onOpenSettings}>
            <Icon name="key" /> Set API key
          </button>
          {resume}
        </>
      );
      break;
    case 'balance':
      title = 'Your APIMart balance has run out';
      body = `${waiting} ${stayVerb} queued and nothing more is charged. Top up your APIMart balance, then resume.`;
      actions = (
        <>
          <button type="button" className="button" onClick={onCheckBalance}>
            <Icon name="wallet" /> Check balance
          </button>
          {resume}
        </>
      );
      break;
    case 'disk':
      title = 'Results cannot be written';
      body = `${stats.pauseMessage ?? ''} ${waiting} ${waitVerb}. Free some space or choose another output folder, then resume.`;
      break;
    case 'user':
      title = 'Queue paused';
      body = `${waiting} ${waitVerb}. Jobs already generating still finish and download; nothing new starts until you resume.`;
      break;
  }
  return (
    <div
      className={`banner banner-${reason}`}
      role="status"
      aria-label={`Queue paused: ${reason}`}
      data-reason={reason}
    >
      <span className="banner-icon">
        <Icon name={ICONS[reason]} size={20} />
      </span>
      <div className="banner-text">
        <strong>{title}</strong>
        <span>{body}</span>
      </div>
      {actions && <div className="banner-actions">{actions}</div>}
    </div>
  );
}
