// The Spend view's report, live: fetched when the view opens and again as tasks finish (queue
// stats move), at most every two seconds; a fetch that failed keeps the last report.
import type { SpendReport } from '../../../main/contract/money.ts';
import type { EngineClient } from '../engine-client.ts';
import { useLiveRoute } from './use-live-route.ts';

export function useSpendReport(client: EngineClient): SpendReport | null {
  return useLiveRoute(client, 'spend.report', {}, 2000);
}
