// What new images would cost, live: asked of the engine when the recipe (or the count) changes and
// again as the queue moves (a first task teaches a price), at most once a second.
import type { Estimate, EstimateInput } from '../../../main/contract/money.ts';
import type { EngineClient } from '../engine-client.ts';
import { useLiveRoute } from './use-live-route.ts';

export function useEstimate(client: EngineClient, input: EstimateInput | null): Estimate | null {
  return useLiveRoute(client, 'spend.estimate', input, 1000);
}
