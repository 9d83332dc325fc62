// What the Results filters can offer (batches, prompts, models, watched folders, with counts),
// fetched on mount and again, a little later, whenever the number of finished jobs changes.
import { useEffect, useState } from 'react';
import type { ResultFacets } from '../../../main/contract/results.ts';
import { useApp } from './use-app.ts';

const DELAY_MS = 500;

export function useResultFacets(): ResultFacets | undefined {
  const { client } = useApp();
  const [facets, setFacets] = useState<ResultFacets>();
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done: number | undefined;
    const fetch = () => {
      timer = undefined;
      client.call('results.facets', {}).then(
        (next) => live && setFacets(next),
        () => undefined,
      );
    };
    fetch();
    const off = client.on('queue.stats', ({ payload }) => {
      const now = payload.counts.done ?? 0;
      if (done !== undefined && now !== done) timer ??= setTimeout(fetch, DELAY_MS);
      done = now;
    });
    return () => {
      live = false;
      clearTimeout(timer);
      off();
    };
  }, [client]);
  return facets;
}
