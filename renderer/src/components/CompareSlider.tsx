// Before/after: the source and the result thumbnails stacked, the result revealed right of a
// handle the person drags (or moves with the arrow keys: it is a range input underneath).
import { useState, type CSSProperties } from 'react';
import type { JobView } from '../../../main/contract/schemas.ts';
import { Thumb } from './Thumb.tsx';

export function CompareSlider({ job, index }: { job: JobView; index: number }) {
  const [position, setPosition] = useState(50);
  const result = job.results[index];
  const style = {
    '--split': `${position}%`,
    aspectRatio: result ? `${result.width} / ${result.height}` : '1',
  } as CSSProperties;
  return (
    <div className="compare" style={style}>
      <Thumb job={job} className="compare-layer" alt={`Before: ${job.name}`} />
      <div className="compare-after">
        <Thumb job={job} which="result" index={index} className="compare-layer" alt="After" />
      </div>
      <div className="compare-handle" aria-hidden="true" />
      <span className="compare-label before" aria-hidden="true">
        Before
      </span>
      <span className="compare-label after" aria-hidden="true">
        After
      </span>
      <input
        type="range"
        className="compare-range"
        min={0}
        max={100}
        value={position}
        aria-label="Compare before and after"
        aria-valuetext={`${position} % before`}
        onChange={(event) => setPosition(Number(event.target.value))}
      />
    </div>
  );
}
