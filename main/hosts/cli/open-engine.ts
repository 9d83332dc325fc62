// Starts the engine the way every CLI command does (data directory, settings through conf, the
// key from the environment, APIMART_BASE_URL) and calls routes on it, turning a refused call
// into an EngineFailure so the command's one-sentence error handling applies.
import { dispatch } from '../../contract/dispatch.ts';
import { EngineFailure } from '../../contract/errors.ts';
import type { RouteInput, RouteName, RouteOutput } from '../../contract/routes.ts';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { defaultHome } from '../../engine/host/home.ts';
import { confSettings, envSecrets } from './cli-ports.ts';
import { UsageError } from './usage.ts';
import { packageVersion } from './version.ts';

/** Opens the engine for a command that talks to APIMart (a key is needed unless simulating). */
export async function openEngine(
  command: string,
  env: NodeJS.ProcessEnv,
  simulate = false,
): Promise<{ engine: Engine; home: string }> {
  if (!simulate && !env.APIMART_API_KEY?.trim()) {
    throw new UsageError(
      'APIMART_API_KEY is not set. Set it to your APIMart key, or try GenQueue with --simulate.',
    );
  }
  const home = defaultHome(env);
  const engine = await createEngine({
    home,
    version: packageVersion(),
    command,
    settings: confSettings(home),
    secrets: envSecrets(env),
    simulate,
    ...(env.APIMART_BASE_URL && { baseUrl: env.APIMART_BASE_URL }),
  });
  return { engine, home };
}

export async function call<K extends RouteName>(
  engine: Engine,
  route: K,
  input: RouteInput<K>,
): Promise<RouteOutput<K>> {
  const result = await dispatch(engine.handlers, route, input);
  if (!result.ok) throw new EngineFailure(result.error);
  return result.value as RouteOutput<K>;
}
