// The engine's side of the watch.* routes: the watched folders and their settings, through the
// watch service, and a folder's recent files for its card. Spread into the map by handlers.ts.
import type { Handlers } from '../../contract/dispatch.ts';
import { fail } from '../../contract/errors.ts';
import type { RouteName } from '../../contract/routes.ts';
import type { Recipe, RecipePatch } from '../../contract/schemas.ts';
import type { HandlerDeps } from '../handlers.ts';
import { toJobView } from '../store/jobs-store.ts';

type WatchRoutes = Extract<RouteName, `watch.${string}`>;

/** The recent files a watched folder's card lists. */
const RECENT_FILES = 5;

/** `recipeFrom` refuses a folder recipe its model cannot take before the folder is watched. */
export function createWatchHandlers(
  deps: HandlerDeps,
  recipeFrom: (patch: RecipePatch | undefined) => Recipe,
): Pick<Handlers, WatchRoutes> {
  const { store } = deps;
  return {
    'watch.list': async () => deps.watch.list(),
    'watch.add': async (settings) => {
      recipeFrom(settings.recipe);
      return deps.watch.add(settings);
    },
    'watch.update': async (update) => {
      if (update.recipe) recipeFrom(update.recipe);
      return deps.watch.update(update);
    },
    'watch.remove': async ({ id }) => {
      await deps.watch.remove(id);
      return null;
    },
    'watch.recent': async ({ id }) => {
      const folder = deps.watch.list().find((watched) => watched.id === id);
      if (!folder) fail('not_found', 'This watched folder no longer exists.');
      return store.latestUnder(folder.path, RECENT_FILES).map(toJobView);
    },
  };
}
