// `genqueue watch <dir…>`: watch folders headless with the same engine and ledger the app uses,
// process what arrives, and keep going until SIGINT/SIGTERM. Then it stops taking new files and
// leaves every job durable; the next `genqueue watch` (or the app) carries on and catches up.
import { resolve } from 'node:path';
import type { RecipePatch } from '../../../contract/schemas.ts';
import type { WatchFolderView } from '../../../contract/watch.ts';
import { call, openEngine } from '../open-engine.ts';
import { createReporter, type Output, reportMode } from '../reporter.ts';

export interface WatchArgs {
  dirs: string[];
  recipe: RecipePatch;
  outDir?: string;
  json: boolean;
  simulate: boolean;
}

function describe(view: WatchFolderView): string {
  if (view.status === 'error') return `trouble ${view.path}: ${view.error ?? 'unknown'}`;
  return `${view.status.padEnd(7)} ${view.path}`;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function watchCommand(
  args: WatchArgs,
  io: { stdout: Output; stderr: Output },
  env = process.env,
): Promise<number> {
  const signal = untilSignal();
  const { engine, home } = await openEngine('genqueue watch', env, args.simulate);
  const mode = reportMode(args.json, io.stdout);
  // Every job this engine works on is reported when it finishes, including ones carried over.
  const tracked = new Set<string>();
  const reporter = createReporter(io.stdout, mode, tracked);
  const shown = new Map<string, string>();
  const unsubscribe = engine.subscribe((event) => {
    if (event.name === 'job.updated' && !tracked.has(event.payload.id)) {
      tracked.add(event.payload.id);
      if (event.payload.stage === 'queued' && mode !== 'json')
        reporter.say(`queued  ${event.payload.source}`);
    }
    reporter.onEvent(event);
    if (event.name === 'watch.updated' && mode !== 'json') {
      const line = describe(event.payload);
      if (shown.get(event.payload.id) !== line) reporter.say(line);
      shown.set(event.payload.id, line);
    }
  });
  try {
    await engine.start();
    const existing = await call(engine, 'watch.list', {});
    for (const dir of args.dirs) {
      const path = resolve(dir);
      const settings = {
        ...(Object.keys(args.recipe).length > 0 && { recipe: args.recipe }),
        ...(args.outDir && { outDir: resolve(args.outDir) }),
      };
      const known = existing.find((view) => view.path === path);
      if (known) await call(engine, 'watch.update', { id: known.id, enabled: true, ...settings });
      else await call(engine, 'watch.add', { path, ...settings });
    }
    reporter.say(
      `Watching ${args.dirs.length === 1 ? 'one folder' : `${args.dirs.length} folders`}; Ctrl-C to stop.`,
    );
    await signal;
    reporter.say(`Stopped. Every job is kept in ${home}; the next start carries on.`);
    return 0;
  } finally {
    unsubscribe();
    await engine.stop();
  }
}
