// The engine's side of the routes about the app and its queue as a whole: what it is, the
// queue's pause and stats, the network's state, settings, and the API key (which never leaves
// the engine: the window sees only whether one is set). Spread into the map by handlers.ts.
import type { Handlers } from '../contract/dispatch.ts';
import { EngineFailure, engineError } from '../contract/errors.ts';
import type { RouteName } from '../contract/routes.ts';
import type { HandlerDeps } from './handlers.ts';

type AppRoutes =
  | 'app.info'
  | Extract<RouteName, `queue.${string}` | `settings.${string}` | `key.${string}`>
  | 'net.status';

export function createAppHandlers(deps: HandlerDeps): Pick<Handlers, AppRoutes> {
  const { settings, scheduler } = deps;
  return {
    'app.info': async () => deps.info(),

    'queue.stats': async () => scheduler.stats(),
    'net.status': async () => deps.netStatus(),
    'queue.pause': async () => {
      scheduler.setPause({ reason: 'user', message: 'Paused.' });
      return scheduler.stats();
    },
    'queue.resume': async () => {
      if (scheduler.pause?.reason === 'auth' && (await deps.keyStatus()).state === 'not-set') {
        throw new EngineFailure(
          engineError('auth', 'Set an APIMart API key first.', { pause: 'auth' }),
        );
      }
      scheduler.resume();
      return scheduler.stats();
    },

    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      const next = settings.update(patch);
      deps.spend.reconsiderSoon(); // a cap raised, a price entered: held jobs may go now
      scheduler.wake();
      return next;
    },

    'key.status': async () => deps.keyStatus(),
    'key.set': async ({ key }) => {
      await deps.secrets.save(key);
      await deps.useSimulator(false);
      return deps.keyStatus();
    },
    'key.clear': async () => {
      await deps.secrets.clear();
      return deps.keyStatus();
    },
    'key.test': async () => deps.spend.sawBalance(await deps.client().balance({})),
    'key.useSimulator': async ({ enabled }) => {
      await deps.useSimulator(enabled);
      return deps.keyStatus();
    },
  };
}
