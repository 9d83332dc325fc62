// Starts the engine the way every CLI command does (data directory, settings through conf, the
// key from the environment, APIMART_BASE_URL) and calls routes on it, turning a refused call
// into an EngineFailure so the command's one-sentence error handling applies.
import { dispatch } from '../../contract/dispatch.ts';
import { EngineFailure } from '../../contract/errors.ts';
import type { RouteInput, RouteName, RouteOutput } from '../../contract/routes.ts';
import type { JobFilter, JobView } from '../../contract/schemas.ts';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { defaultHome } from '../../engine/host/home.ts';
import { startForTrying } from '../../simulator/simulator.ts';
import { confSettings, envSecrets } from './cli-ports.ts';
import { UsageError } from './usage.ts';
import { packageVersion } from './version.ts';

/** What a command does with the engine: talk to APIMart (the default), or only change the queue. */
export interface OpenOptions {
  simulate?: boolean;
  /** retry, cancel and watch --list/--remove only change the queue: no key, no URL needed. */
  queueOnly?: boolean;
  /** This run's spending cap in USD (run --max-spend). */
  maxSpendUsd?: number;
}

/** APIMART_BASE_URL, refused in one sentence unless it is an http(s) URL. */
function baseUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.APIMART_BASE_URL?.trim();
  if (!value) return undefined;
  const protocol = URL.parse(value)?.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UsageError(`APIMART_BASE_URL must be an http:// or https:// URL, not "${value}".`);
  }
  return value;
}

/** Opens the engine for a command (a key is needed to talk to APIMart, unless simulating). */
export async function openEngine(
  command: string,
  env: NodeJS.ProcessEnv,
  options: OpenOptions = {},
): Promise<{ engine: Engine; home: string }> {
  const talks = !options.simulate && !options.queueOnly;
  if (talks && !env.APIMART_API_KEY?.trim()) {
    throw new UsageError(
      'APIMART_API_KEY is not set. Set it to your APIMart key, or try GenQueue with --simulate.',
    );
  }
  const baseUrl = talks ? baseUrlFrom(env) : undefined;
  const home = defaultHome(env);
  const engine = await createEngine({
    home,
    version: packageVersion(),
    command,
    settings: confSettings(home),
    secrets: envSecrets(env),
    simulator: startForTrying,
    simulate: options.simulate ?? false,
    ...(baseUrl && { baseUrl }),
    ...(options.maxSpendUsd !== undefined && { maxSpendUsd: options.maxSpendUsd }),
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

/** Every job the filter selects, a page at a time. */
export async function jobsWhere(engine: Engine, filter: JobFilter): Promise<JobView[]> {
  const jobs: JobView[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call(engine, 'jobs.list', { filter, offset, limit: 1000 });
    jobs.push(...page.jobs);
    if (offset + 1000 >= page.total) return jobs;
  }
}
