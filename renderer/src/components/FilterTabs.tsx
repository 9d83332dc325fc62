// The queue's filters (all, active, failed, done, needs decision), each with its live count.
import type { JobFilter, QueueStats } from '../../../main/contract/schemas.ts';
import { FILTERS, filterCount } from '../lib/job-text.ts';
import { formatCount } from '../lib/format.ts';

interface Props {
  filter: JobFilter;
  onFilter: (filter: JobFilter) => void;
  stats: QueueStats | null;
}

export function FilterTabs({ filter, onFilter, stats }: Props) {
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
            {item.label}
            {count !== undefined && <span className="count">{formatCount(count)}</span>}
          </button>
        );
      })}
    </div>
  );
}
