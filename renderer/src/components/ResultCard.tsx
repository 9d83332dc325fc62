// One finished job in the results grid: its (first) result as a thumbnail, the file's name and
// facts, and a mark when it came from the simulator. Clicking opens the result panel.
import { memo } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { fileName, formatDimensions } from '../lib/format.ts';
import { Thumb } from './Thumb.tsx';

interface Props {
  job: JobView;
  selected: boolean;
  onOpen: (id: string) => void;
}

function ResultCardView({ job, selected, onOpen }: Props) {
  const result = job.results[0];
  const name = result ? fileName(result.path) : job.name;
  return (
    <button
      type="button"
      className="result-card"
      data-selected={selected}
      aria-pressed={selected}
      aria-label={`Result ${name}`}
      onClick={() => onOpen(job.id)}
    >
      <Thumb job={job} which="result" className="card-image" alt="" />
      <span className="card-meta">
        <span className="card-name" title={result?.path}>
          {name}
        </span>
        <span className="card-facts">
          {result ? `${formatDimensions(result)} · ${result.format.toUpperCase()}` : ''}
          {job.results.length > 1 && ` · +${job.results.length - 1}`}
        </span>
      </span>
      {job.simulated && <span className="badge card-badge">Simulated</span>}
    </button>
  );
}

export const ResultCard = memo(ResultCardView);
