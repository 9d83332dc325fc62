// Builds QueueStats payloads for the host's tests: every stage present, zeros unless given.
import type { PauseReason } from '../../../../main/contract/errors.ts';
import { JOB_STAGES, type JobStage, type QueueStats } from '../../../../main/contract/schemas.ts';

export function stats(
  counts: Partial<Record<JobStage, number>>,
  paused: PauseReason | null = null,
  pauseMessage?: string,
): QueueStats {
  const full = Object.fromEntries(JOB_STAGES.map((stage) => [stage, counts[stage] ?? 0]));
  return {
    counts: full as QueueStats['counts'],
    total: Object.values(full).reduce((sum, n) => sum + n, 0),
    paused,
    ...(pauseMessage && { pauseMessage }),
  };
}
