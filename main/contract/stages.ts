// The sets of stages every part of GenQueue asks about, defined once: finished (the job is over),
// resting (nothing more will happen without a person: finished, or ambiguous) and in flight (an
// engine is at work on it). Plain arrays without zod, so the window imports them cheaply.
import type { JobStage } from './schemas.ts';

export const FINISHED_STAGES: readonly JobStage[] = ['done', 'failed', 'cancelled'];
export const RESTING_STAGES: readonly JobStage[] = [...FINISHED_STAGES, 'ambiguous'];
/** An engine is working on the job right now (or was, when it stopped and left it there). */
export const IN_FLIGHT_STAGES: readonly JobStage[] = [
  'preparing',
  'uploading',
  'submitting',
  'running',
  'downloading',
];

export function isFinished(stage: JobStage): boolean {
  return FINISHED_STAGES.includes(stage);
}

export function isResting(stage: JobStage): boolean {
  return RESTING_STAGES.includes(stage);
}
