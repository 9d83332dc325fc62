// The one path from "a host received (route, input)" to a handler and back: unknown routes and
// invalid input are refused with an EngineError, thrown errors become EngineErrors, and the
// caller always gets a Result envelope. Every transport (IPC, test bridge, CLI) goes through it.
import type { z } from 'zod';
import { engineError, toEngineError, type Result } from './errors.ts';
import {
  isRouteName,
  routes,
  type RouteName,
  type RouteOutput,
  type RouteParams,
} from './routes.ts';

/** What the engine implements: one async function per declared route. */
export type Handlers = {
  [K in RouteName]: (input: RouteParams<K>) => Promise<RouteOutput<K>>;
};

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
    .join('; ');
}

export async function dispatch(
  handlers: Handlers,
  name: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isRouteName(name)) {
    return {
      ok: false,
      error: engineError('unknown_route', `There is no route called ${JSON.stringify(name)}.`),
    };
  }
  const parsed = routes[name].input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: engineError(
        'bad_input',
        `The request ${name} was refused: ${describeIssues(parsed.error.issues)}.`,
      ),
    };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: (await handler(parsed.data)) ?? null };
  } catch (thrown) {
    return { ok: false, error: toEngineError(thrown) };
  }
}
