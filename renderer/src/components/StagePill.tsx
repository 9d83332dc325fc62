// A job's stage as a small coloured pill ("Generating", "Failed"), with the raw stage in
// data-stage for styling and for tests.
import type { JobStage } from '../../../main/contract/schemas.ts';
import { STAGE_LABEL, stageTone } from '../lib/job-text.ts';

export function StagePill({ stage }: { stage: JobStage }) {
  return (
    <span className={`stage-pill tone-${stageTone(stage)}`} data-stage={stage}>
      {STAGE_LABEL[stage]}
    </span>
  );
}
