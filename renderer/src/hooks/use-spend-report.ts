// The Spend view's report, live: fetched when the view opens and again as tasks finish (queue
// stats move), at most every two seconds; a fetch that failed keeps the last report.
import { useEffect, useState } from 'react';
import type { SpendReport } from '../../../main/contract/money.ts';
import type { EngineClient } from '../engine-client.ts';

const AT_MOST_EVERY_MS = 2000;

export function useSpendReport(client: EngineClient): SpendReport | null {
  const [report, setReport] = useState<SpendReport | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const fetchReport = (): void => {
      last = Date.now();
      timer = undefined;
      client.call('spend.report', {}).then(
        (next) => live && setReport(next),
        () => {},
      );
    };
    const off = client.on('queue.stats', () => {
      timer ??= setTimeout(fetchReport, Math.max(0, last + AT_MOST_EVERY_MS - Date.now()));
    });
    fetchReport();
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
  return report;
}
