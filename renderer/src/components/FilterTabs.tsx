// The queue's filters (all, active, failed, done, needs decision), each with its live count;
// "Active" reads "Paused" while the queue is paused.
import type { JobFilter, QueueStats } from '../../../main/contract/schemas.ts';
import { FILTERS, filterCount, filterLabel } from '../lib/job-text.ts';
import { formatCount } from '../lib/format.ts';

interface Props {
  filter: JobFilter;
  onFilter: (filter: JobFilter) => void;
  stats: QueueStats | null;
}

export function FilterTabs({ filter, onFilter, stats }: Props) {
  const paused = Boolean(stats?.paused);
  return (
    <div className="segmented" role="group" aria-label="Show">
      {FILTERS.map((item) => {
        const count = stats ? filterCount(item.id, stats.counts) : undefined;
        return (
          <button
            key={item.id}
            type="button"
            aria-pressed={filter === item.id}
            data-filter={item.id}
            className={item.id === 'ambiguous' && count ? 'attention' : undefined}
            onClick={() => onFilter(item.id)}
          >
            {filterLabel(item.id, paused)}
            {count !== undefined && <span className="count">{formatCount(count)}</span>}
          </button>
        );
      })}
    </div>
  );
}
