// The sets of stages every part of GenQueue asks about, defined once: finished (the job is over)
// and resting (nothing more will happen without a person: finished, or ambiguous). Plain arrays
// without zod, so the window imports them for three words' worth of code.
import type { JobStage } from './schemas.ts';

export const FINISHED_STAGES: readonly JobStage[] = ['done', 'failed', 'cancelled'];
export const RESTING_STAGES: readonly JobStage[] = [...FINISHED_STAGES, 'ambiguous'];

export function isFinished(stage: JobStage): boolean {
  return FINISHED_STAGES.includes(stage);
}

export function isResting(stage: JobStage): boolean {
  return RESTING_STAGES.includes(stage);
}
