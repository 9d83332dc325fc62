// A job's stage as a small coloured pill ("Generating", "Failed"), or "Paused" while a pause holds
// it at that stage, with the raw stage in data-stage for styling and for tests.
import type { JobStage } from '../../../main/contract/schemas.ts';
import { STAGE_LABEL, stageTone } from '../lib/job-text.ts';

export function StagePill({ stage, paused = false }: { stage: JobStage; paused?: boolean }) {
  return (
    <span
      className={`stage-pill tone-${paused ? 'idle' : stageTone(stage)}`}
      data-stage={stage}
      data-paused={paused || undefined}
    >
      {paused ? 'Paused' : STAGE_LABEL[stage]}
    </span>
  );
}
