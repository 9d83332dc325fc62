// Which results are selected (by job id) and which card has focus, as a file manager does it:
// a click selects one, Ctrl/Cmd+click toggles, Shift+click or Shift+arrows extend from the anchor;
// ranges beyond the pages loaded ask the engine for the query's ids in order.
import { useCallback, useRef, useState } from 'react';
import type { ResultWindow } from '../lib/result-window.ts';

export type SelectHow = 'select' | 'toggle' | 'extend' | 'only';

export interface ResultSelection {
  selected: ReadonlySet<string>;
  focus: number;
  /** Moves focus to `index` and changes the selection as `how` says. */
  pick: (index: number, how: SelectHow) => void;
  selectAll: () => void;
  selectRange: (start: number, count: number) => void;
  clear: () => void;
}

export function useResultSelection(results: ResultWindow): ResultSelection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = useState(0);
  const anchor = useRef(0);

  const idsBetween = useCallback(
    async (from: number, to: number): Promise<string[]> => {
      const loaded: string[] = [];
      for (let i = from; i <= to; i++) {
        const id = results.at(i)?.id;
        if (!id) return (await results.ids()).slice(from, to + 1);
        loaded.push(id);
      }
      return loaded;
    },
    [results],
  );

  const pick = useCallback(
    (index: number, how: SelectHow) => {
      setFocus(index);
      if (how === 'only') return;
      const id = results.at(index)?.id;
      if (how === 'extend') {
        const [from, to] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
        void idsBetween(from, to).then((ids) => setSelected(new Set(ids)));
        return;
      }
      anchor.current = index;
      if (!id) return;
      if (how === 'select') setSelected(new Set([id]));
      else
        setSelected((now) => {
          const next = new Set(now);
          if (!next.delete(id)) next.add(id);
          return next;
        });
    },
    [results, idsBetween],
  );

  const selectAll = useCallback(() => {
    void results.ids().then((ids) => setSelected(new Set(ids)));
  }, [results]);

  const selectRange = useCallback(
    (start: number, count: number) => {
      void idsBetween(start, start + count - 1).then((ids) => setSelected(new Set(ids)));
    },
    [idsBetween],
  );

  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, focus, pick, selectAll, selectRange, clear };
}
