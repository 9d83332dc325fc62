// Paths come from the main process: a window may name only files and folders it was given — by a
// main-process dialog (files.pick), a real drop (the preload's webUtils path), or shown by the
// engine itself (a job's source, an output folder). Anything else in jobs.enqueue, watch.add/update,
// settings.update or a recipe's outDir is refused with a sentence. No Electron here: unit-tested.
import { isAbsolute, resolve, sep } from 'node:path';
import { dispatch, type Handlers } from '../../contract/dispatch.ts';
import { engineError, type EngineError, type Result } from '../../contract/errors.ts';

/** The paths one window session was given. */
export interface PathGrants {
  /** `subtree`: everything under the path is granted too (a picked or dropped folder). */
  grant(path: string, subtree: boolean): void;
  allows(path: string): boolean;
}

export function createPathGrants(): PathGrants {
  const exact = new Set<string>();
  const folders = new Set<string>();
  return {
    grant(path, subtree) {
      if (!isAbsolute(path)) return;
      const normal = resolve(path);
      exact.add(normal);
      if (subtree) folders.add(normal.endsWith(sep) ? normal : normal + sep);
    },
    allows(path) {
      if (!isAbsolute(path)) return false;
      const normal = resolve(path);
      if (exact.has(normal)) return true;
      return [...folders].some((folder) => normal.startsWith(folder));
    },
  };
}

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields =>
  typeof value === 'object' && value !== null ? (value as Fields) : {};
const strings = (...values: unknown[]): string[] =>
  values.flat().filter((value): value is string => typeof value === 'string');

/** The paths a request names, by route: what the gate checks before the engine sees them. */
const NAMED: Record<string, (input: Fields) => string[]> = {
  'jobs.enqueue': (input) => strings(input.paths, fields(input.recipe).outDir),
  'jobs.retry': (input) => strings(fields(input.recipe).outDir),
  'files.paste': (input) => strings(fields(input.recipe).outDir),
  'watch.add': (input) => strings(input.path, input.outDir),
  'watch.update': (input) => strings(input.path, input.outDir),
  'settings.update': (input) => strings(input.outputDir),
  'results.export': (input) => strings(input.folder),
};

/** A job view's paths, as the engine showed them: its source and its own output folder. */
const jobPaths = (job: unknown): string[] =>
  strings(fields(job).source, fields(fields(job).recipe).outDir);
const watchPaths = (folder: unknown): string[] =>
  strings(fields(folder).path, fields(folder).outDir);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The paths an answer (or event) gives the window, exactly as named: nothing under them. */
const SHOWN: Record<string, (value: unknown) => string[]> = {
  'jobs.list': (value) => list(fields(value).jobs).flatMap(jobPaths),
  'jobs.get': (value) => list(value).flatMap(jobPaths),
  'job.updated': jobPaths,
  'settings.get': (value) => strings(fields(value).outputDir),
  'settings.update': (value) => strings(fields(value).outputDir),
  'watch.list': (value) => list(value).flatMap(watchPaths),
  'watch.add': watchPaths,
  'watch.update': watchPaths,
};

export interface PathGate {
  /** The refusal for a request naming a path this window was not given, else undefined. */
  check(route: unknown, input: unknown): EngineError | undefined;
  /** Remembers what a route's answer or an event showed the window. */
  learn(name: string, value: unknown): void;
  /** A path from a real drop (the preload's webUtils.getPathForFile): it and what is under it. */
  dropped(path: unknown): void;
}

export function createPathGate(grants: PathGrants = createPathGrants()): PathGate {
  return {
    check(route, input) {
      const named =
        typeof route === 'string' && Object.hasOwn(NAMED, route) ? NAMED[route] : undefined;
      const stranger = named?.(fields(input)).find((path) => !grants.allows(path));
      if (stranger === undefined) return undefined;
      return engineError(
        'bad_input',
        `GenQueue takes files and folders from its window only through its own dialogs (Add, Choose…) or a drop, so "${stranger.slice(0, 300)}" was refused.`,
      );
    },
    learn(name, value) {
      if (name === 'files.pick') {
        for (const path of strings(fields(value).paths)) grants.grant(path, true);
        return;
      }
      const shown = Object.hasOwn(SHOWN, name) ? SHOWN[name] : undefined;
      for (const path of shown?.(value) ?? []) grants.grant(path, false);
    },
    dropped(path) {
      if (typeof path === 'string' && path !== '') grants.grant(path, true);
    },
  };
}

/** dispatch for a window: its paths checked first, and what the answer shows it remembered. */
export async function gatedDispatch(
  handlers: Handlers,
  gate: PathGate,
  route: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  const refusal = gate.check(route, input);
  if (refusal) return { ok: false, error: refusal };
  const result = await dispatch(handlers, route, input);
  if (result.ok && typeof route === 'string') gate.learn(route, result.value);
  return result;
}
