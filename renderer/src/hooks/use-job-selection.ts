// The queue's multi-selection, by job id (so it survives rows scrolling out of view and jobs
// changing stage): click toggles, shift-click extends from the anchor, "select all" asks the
// engine for every id in the filter.
import { useCallback, useState, type MouseEvent } from 'react';
import type { JobWindow } from '../lib/job-window.ts';
import { useApp } from './use-app.ts';

interface Selection {
  ids: ReadonlySet<string>;
  anchor: number | null;
}
const NOTHING: Selection = { ids: new Set(), anchor: null };

export interface JobSelection {
  ids: ReadonlySet<string>;
  onSelect(index: number, event: MouseEvent | { shiftKey: boolean; toggle: boolean }): void;
  selectAll(): void;
  clear(): void;
}

function toggled(current: Selection, jobs: JobWindow, index: number, shift: boolean): Selection {
  const ids = new Set(current.ids);
  if (shift && current.anchor !== null) {
    const [from, to] = [Math.min(current.anchor, index), Math.max(current.anchor, index)];
    for (let i = from; i <= to; i++) {
      const id = jobs.at(i)?.id;
      if (id) ids.add(id);
    }
    return { ids, anchor: current.anchor };
  }
  const id = jobs.at(index)?.id;
  if (!id) return current;
  if (!ids.delete(id)) ids.add(id);
  return { ids, anchor: index };
}

export function useJobSelection(jobs: JobWindow): JobSelection {
  const { act } = useApp();
  const [selection, setSelection] = useState<Selection>(NOTHING);
  // Stable callbacks: the rows' actions hold onSelect, and rows re-render only when it changes.
  const onSelect = useCallback<JobSelection['onSelect']>(
    (index, event) => setSelection((current) => toggled(current, jobs, index, event.shiftKey)),
    [jobs],
  );
  const selectAll = useCallback(
    () => void act(async () => setSelection({ ids: new Set(await jobs.allIds()), anchor: null })),
    [jobs, act],
  );
  const clear = useCallback(() => setSelection(NOTHING), []);
  return { ids: selection.ids, onSelect, selectAll, clear };
}
