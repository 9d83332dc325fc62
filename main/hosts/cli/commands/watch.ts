// `genqueue watch <dir…>`: watch folders headless with the same engine and ledger the app uses,
// process what arrives, and keep going until SIGINT/SIGTERM. Watched folders are remembered, so it
// says every folder it watches and with which recipe; --list shows them, --remove forgets some.
// It never spends on a prompt nobody chose: each folder needs --prompt or a recipe saved with it.
import { resolve } from 'node:path';
import type { Recipe, RecipePatch, Settings } from '../../../contract/schemas.ts';
import type { WatchFolderView } from '../../../contract/watch.ts';
import type { Engine } from '../../../engine/engine.ts';
import { call, openEngine } from '../open-engine.ts';
import { refuseUnfitRecipe } from '../recipe-check.ts';
import { createReporter, type Output, reportMode } from '../reporter.ts';
import { terminalSafe } from '../terminal-text.ts';
import { UsageError } from '../usage.ts';

export interface WatchArgs {
  /** watch: add the folders and watch every enabled one; list: show them; remove: forget them. */
  action: 'watch' | 'list' | 'remove';
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

function describeRecipe(recipe: Recipe): string {
  const { model, prompt, size, resolution, n } = recipe;
  const parts = [model, JSON.stringify(prompt)];
  if (size) parts.push(`size ${size}`);
  if (resolution) parts.push(`resolution ${resolution}`);
  if (n && n > 1) parts.push(`n ${n}`);
  for (const [name, value] of Object.entries(recipe.options ?? {})) parts.push(`${name} ${value}`);
  return parts.join(', ');
}

/** One line for a watched folder: where, with which recipe, and where results go. */
function folderLine(view: WatchFolderView, settings: Settings): string {
  const recipe = describeRecipe({ ...settings.defaultRecipe, ...view.recipe });
  const out = view.outDir ?? settings.outputDir ?? 'a genqueue-output folder beside each image';
  const off = view.enabled ? '' : ' (disabled)';
  return `  ${view.path}${off}: ${recipe} → ${out}`;
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
  if (args.action !== 'watch') {
    const { engine } = await openEngine('genqueue watch', env, { queueOnly: true });
    try {
      return args.action === 'list'
        ? await listFolders(engine, args.json, io.stdout)
        : await removeFolders(engine, args.dirs, io.stdout);
    } finally {
      await engine.stop();
    }
  }
  return watchFolders(args, io, env);
}

async function listFolders(engine: Engine, json: boolean, out: Output): Promise<number> {
  const folders = await call(engine, 'watch.list', {});
  const settings = await call(engine, 'settings.get', {});
  for (const view of folders) {
    out.write(`${json ? JSON.stringify(view) : terminalSafe(folderLine(view, settings))}\n`);
  }
  if (!json && folders.length === 0) out.write('No folder is watched.\n');
  return 0;
}

async function removeFolders(engine: Engine, dirs: string[], out: Output): Promise<number> {
  const folders = await call(engine, 'watch.list', {});
  let missing = 0;
  for (const path of dirs.map((dir) => resolve(dir))) {
    const known = folders.find((view) => view.path === path);
    if (known) await call(engine, 'watch.remove', { id: known.id });
    else missing += 1;
    const said = known ? `No longer watching ${path}.` : `${path} is not a watched folder.`;
    out.write(`${terminalSafe(said)}\n`);
  }
  return missing > 0 ? 1 : 0;
}

async function watchFolders(
  args: WatchArgs,
  io: { stdout: Output; stderr: Output },
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const signal = untilSignal();
  const { engine, home } = await openEngine('genqueue watch', env, { simulate: args.simulate });
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
    await refuseUnfitRecipe(engine, args.recipe);
    await refuseWithoutPrompt(engine, args);
    await engine.start();
    await addFolders(engine, args);
    const watched = (await call(engine, 'watch.list', {})).filter((view) => view.enabled);
    if (watched.length === 0)
      throw new UsageError('genqueue watch needs at least one folder (none is watched yet).');
    const settings = await call(engine, 'settings.get', {});
    const count = watched.length === 1 ? 'one folder' : `${watched.length} folders`;
    reporter.say(`Watching ${count}; Ctrl-C to stop (genqueue watch --remove <dir> forgets one):`);
    for (const view of watched) reporter.say(folderLine(view, settings));
    await signal;
    reporter.say(`Stopped. Every job is kept in ${home}; the next start carries on.`);
    return 0;
  } finally {
    unsubscribe();
    await engine.stop();
  }
}

/**
 * Every folder this watch would process needs a prompt someone chose: --prompt for the folders
 * given, or the recipe saved with each folder. Refused in one sentence (exit 2) before anything runs.
 */
async function refuseWithoutPrompt(engine: Engine, args: WatchArgs): Promise<void> {
  const known = await call(engine, 'watch.list', {});
  const given = new Set(args.dirs.map((dir) => resolve(dir)));
  const saved = (path: string): boolean =>
    Boolean(known.find((view) => view.path === path)?.recipe?.prompt?.trim());
  const unprompted = [
    ...(args.recipe.prompt ? [] : [...given].filter((path) => !saved(path))),
    ...known
      .filter((view) => view.enabled && !given.has(view.path) && !saved(view.path))
      .map((view) => view.path),
  ];
  if (unprompted.length === 0) return;
  const which =
    unprompted.length === 1
      ? unprompted[0]
      : `${unprompted.length} folders (${unprompted.join(', ')})`;
  throw new UsageError(
    `genqueue watch needs --prompt "<what to make>" for ${which}: no recipe is saved with it, and GenQueue spends nothing on a prompt nobody chose.`,
  );
}

/** Adds the given folders, or enables them with the given recipe when they are known already. */
async function addFolders(engine: Engine, args: WatchArgs): Promise<void> {
  const existing = await call(engine, 'watch.list', {});
  const settings = {
    ...(Object.keys(args.recipe).length > 0 && { recipe: args.recipe }),
    ...(args.outDir && { outDir: resolve(args.outDir) }),
  };
  for (const dir of args.dirs) {
    const path = resolve(dir);
    const known = existing.find((view) => view.path === path);
    if (known) await call(engine, 'watch.update', { id: known.id, enabled: true, ...settings });
    else await call(engine, 'watch.add', { path, ...settings });
  }
}
