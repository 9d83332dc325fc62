// The engine's side of the spend.* routes: the estimate a host shows before a batch (by count, by
// the files themselves, or for the queue's unpaid jobs) and the Spend view's report. Spread into
// the one handlers map by handlers.ts.
import type { Handlers } from '../../contract/dispatch.ts';
import type { EstimateInput } from '../../contract/money.ts';
import type { Settings } from '../../contract/schemas.ts';
import { expandPaths } from '../ingest/expand-paths.ts';
import { estimateOf, type EstimateGroup } from './estimate.ts';
import type { SpendService } from './spend.ts';

export interface SpendHandlerDeps {
  /** Read when a route is called, never when the handlers are made (a test makes them bare). */
  spend: () => SpendService;
  settings: () => Settings;
}

async function groupsFor(deps: SpendHandlerDeps, input: EstimateInput): Promise<EstimateGroup[]> {
  if (input.queued) return deps.spend().store.unpaid();
  const recipe = { ...deps.settings().defaultRecipe, ...input.recipe };
  const count = input.paths ? (await expandPaths(input.paths)).files.length : (input.count ?? 0);
  return [{ recipe, count }];
}

export function createSpendHandlers(
  deps: SpendHandlerDeps,
): Pick<Handlers, 'spend.estimate' | 'spend.report'> {
  return {
    'spend.estimate': async (input) => {
      const spend = deps.spend();
      return estimateOf(await groupsFor(deps, input), (recipe) => spend.prices.lookup(recipe));
    },

    'spend.report': async () => {
      const spend = deps.spend();
      const now = Date.now();
      const totals = spend.store.totals(now);
      return {
        todayUsd: totals.todayUsd,
        totalUsd: totals.totalUsd,
        tasks: totals.tasks,
        unknownTasks: totals.unknownTasks,
        byDay: spend.store.byDay(now),
        byModel: spend.store.byModel(),
        byBatch: spend.store.byBatch(),
        byFolder: spend.store.byFolder(),
        balance: await spend.balanceNow(),
        balanceHistory: spend.store.balanceHistory(),
        capPerDayUsd: deps.settings().spendCapPerDay ?? null,
        prices: spend.prices.list(),
      };
    },
  };
}
