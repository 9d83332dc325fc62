// What the tray says about the queue, worked out from the engine's queue.stats event alone: the
// tooltip, the count lines and the pause/resume entry of the tray menu. Plain data, so the words
// can be tested under Node; tray.ts turns the model into Electron's Tray and Menu.
import type { PauseReason } from '../../contract/errors.ts';
import type { JobStage, QueueStats } from '../../contract/schemas.ts';

const IN_PROGRESS: readonly JobStage[] = [
  'preparing',
  'uploading',
  'submitting',
  'running',
  'downloading',
];
/** Stages of a job that will still move without anyone doing anything. */
export const ACTIVE_STAGES: readonly JobStage[] = ['queued', ...IN_PROGRESS, 'waiting'];

/** The count lines, in the order shown; zero counts are left out. */
const GROUPS: readonly { label: string; stages: readonly JobStage[] }[] = [
  { label: 'in progress', stages: IN_PROGRESS },
  { label: 'queued', stages: ['queued'] },
  { label: 'waiting to retry', stages: ['waiting'] },
  { label: 'need a decision', stages: ['ambiguous'] },
  { label: 'done', stages: ['done'] },
  { label: 'failed', stages: ['failed'] },
];

const PAUSED: Record<PauseReason, string> = {
  user: 'Paused',
  offline: 'Paused: offline, resumes by itself',
  auth: 'Paused: needs a valid API key',
  balance: 'Paused: APIMart balance used up',
  disk: 'Paused: results cannot be written',
};

export function countStages(stats: QueueStats, stages: readonly JobStage[]): number {
  return stages.reduce((sum, stage) => sum + (stats.counts[stage] ?? 0), 0);
}

export function activeCount(stats: QueueStats): number {
  return countStages(stats, ACTIVE_STAGES);
}

/** "3 in progress", "12 queued", … for every non-empty group. */
export function countLines(stats: QueueStats): string[] {
  return GROUPS.flatMap(({ label, stages }) => {
    const n = countStages(stats, stages);
    return n > 0 ? [`${n} ${label}`] : [];
  });
}

export function trayTooltip(stats: QueueStats | undefined): string {
  if (!stats) return 'GenQueue';
  const lines = countLines(stats);
  const summary = lines.length > 0 ? lines.join(' · ') : 'no jobs';
  return `GenQueue — ${summary}${stats.paused ? ` (${PAUSED[stats.paused].toLowerCase()})` : ''}`;
}

export type TrayAction = 'show' | 'pause' | 'resume' | 'quit';
export type TrayItem =
  | { kind: 'action'; label: string; action: TrayAction }
  | { kind: 'info'; label: string }
  | { kind: 'separator' };

export function trayMenuModel(stats: QueueStats | undefined): TrayItem[] {
  const info: TrayItem[] = [];
  if (stats?.paused) info.push({ kind: 'info', label: PAUSED[stats.paused] });
  for (const label of stats ? countLines(stats) : []) info.push({ kind: 'info', label });
  return [
    { kind: 'action', label: 'Show GenQueue', action: 'show' },
    ...(info.length > 0 ? [{ kind: 'separator' as const }, ...info] : []),
    { kind: 'separator' },
    stats?.paused
      ? { kind: 'action', label: 'Resume queue', action: 'resume' }
      : { kind: 'action', label: 'Pause queue', action: 'pause' },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit GenQueue', action: 'quit' },
  ];
}
