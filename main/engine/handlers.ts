// The engine's side of every route in the contract, one map made of the handlers of each domain
// (app and queue, jobs, desktop, results, watched folders). Typed by the contract's Handlers map,
// so a route added there without a handler does not compile. Handlers validate meaning (a path
// that exists, a recipe a model can take); the dispatcher has already validated shape.
import type { Handlers } from '../contract/dispatch.ts';
import { fail } from '../contract/errors.ts';
import type { EventName, EventPayload } from '../contract/events.ts';
import type { AppInfo } from '../contract/routes.ts';
import {
  RecipeSchema,
  type KeyStatus,
  type NetStatus,
  type Recipe,
  type RecipePatch,
} from '../contract/schemas.ts';
import type { ApimartClient } from './apimart/client.ts';
import { createAppHandlers } from './app-handlers.ts';
import { createDesktopHandlers } from './desktop-handlers.ts';
import type { DesktopPort, SecretsPort } from './host/ports.ts';
import { createJobHandlers } from './jobs/job-handlers.ts';
import type { Lifecycle } from './jobs/lifecycle.ts';
import { createSpendHandlers } from './money/spend-handlers.ts';
import type { SpendService } from './money/spend.ts';
import { createResultHandlers } from './results/result-handlers.ts';
import type { Scheduler } from './queue/scheduler.ts';
import type { SettingsService } from './settings.ts';
import { createModelHandlers, fitRecipe } from './models/model-handlers.ts';
import type { ModelCatalogue } from './models/model-catalogue.ts';
import type { JobRecord, JobsStore } from './store/jobs-store.ts';
import type { ResultsQuery } from './store/results-query.ts';
import { createWatchHandlers } from './watch/watch-handlers.ts';
import type { WatchService } from './watch/watch-service.ts';

export interface HandlerDeps {
  store: JobsStore;
  life: Lifecycle;
  settings: SettingsService;
  scheduler: Scheduler;
  secrets: SecretsPort;
  desktop: DesktopPort | undefined;
  client: () => ApimartClient;
  keyStatus: () => Promise<KeyStatus>;
  netStatus: () => NetStatus;
  useSimulator: (enabled: boolean) => Promise<void>;
  simulated: () => boolean;
  info: () => AppInfo;
  thumbnailDir: string;
  /** Where pasted images are saved before they are queued. */
  inboxDir: string;
  emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  changed: (job: JobRecord) => void;
  watch: WatchService;
  /** Caps, prices, spend and the balance (engine/money/). */
  spend: SpendService;
  /** The models recipes are judged by (live schemas, else the built-in table). */
  models: ModelCatalogue;
  /** The Results view's queries over finished jobs. */
  results: ResultsQuery;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  function recipeFrom(patch: RecipePatch | undefined): Recipe {
    const parsed = RecipeSchema.safeParse({ ...deps.settings.get().defaultRecipe, ...patch });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(
        'invalid_recipe',
        `The recipe is not complete: ${issue?.path.join('.')} ${issue?.message}.`,
      );
    }
    return fitRecipe(deps.models, parsed.data);
  }

  return {
    ...createAppHandlers(deps),
    ...createJobHandlers(deps, recipeFrom),
    ...createDesktopHandlers(deps),
    ...createResultHandlers(deps.store, deps.results),
    ...createSpendHandlers({ spend: () => deps.spend, settings: () => deps.settings.get() }),
    ...createWatchHandlers(deps, recipeFrom),
    ...createModelHandlers(deps.models),
  };
}
