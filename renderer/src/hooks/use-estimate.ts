// What new images would cost, live: asked of the engine when the recipe (or the count) changes and
// again as the queue moves (a first task teaches a price), at most once a second. Null until the
// engine has answered; an answer that failed leaves the last one.
import { useEffect, useState } from 'react';
import type { Estimate, EstimateInput } from '../../../main/contract/money.ts';
import type { EngineClient } from '../engine-client.ts';

const AT_MOST_EVERY_MS = 1000;

export function useEstimate(client: EngineClient, input: EstimateInput | null): Estimate | null {
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const key = JSON.stringify(input);
  useEffect(() => {
    if (key === 'null') return;
    const asked = JSON.parse(key) as EstimateInput;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const ask = (): void => {
      last = Date.now();
      timer = undefined;
      client.call('spend.estimate', asked).then(
        (next) => live && setEstimate(next),
        () => {},
      );
    };
    const soon = (): void => {
      timer ??= setTimeout(ask, Math.max(0, last + AT_MOST_EVERY_MS - Date.now()));
    };
    const off = client.on('queue.stats', soon);
    ask();
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, key]);
  return key === 'null' ? null : estimate;
}
