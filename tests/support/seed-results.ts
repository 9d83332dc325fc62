// Finished results without paying the simulator's round trips: done jobs written through the jobs
// store into a home before its engine starts (every move checked by the state machine), each with
// real result files and sidecars on disk, batches sharing their queue moment, some taken by a
// watched folder. Hundreds for the Results e2e tests, 10,000 for the renderer bench.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { WatchFolderSettingsSchema } from '../../main/contract/watch.ts';
import { openDatabase } from '../../main/engine/store/database.ts';
import { createJobsStore, recipeKey } from '../../main/engine/store/jobs-store.ts';

export interface SeedResult {
  /** The source: a path to an existing image, or a file name made in `<home>/sources`. */
  source: string;
  prompt: string;
  model: string;
  /** When its batch was queued (jobs with the same moment are one batch). */
  batchAt: number;
  finishedAt: number;
  /** The bytes of each result (n = their count); PNG. */
  results: Buffer[];
  /** The source's bytes, when `source` is a name to create. */
  sourceBytes?: Buffer;
  /** A watched folder id (from seedWatchFolder) that took this source. */
  folderId?: string;
  /** What its task cost, in micro-dollars, when known. */
  costMicros?: number;
}

/** Adds a watched folder row for `path` (existing files ignored); returns its id. */
export function seedWatchFolder(home: string, path: string): string {
  const db = openDatabase(join(home, 'genqueue.db'));
  const id = `w_seed${Math.random().toString(36).slice(2, 8)}`;
  const settings = WatchFolderSettingsSchema.parse({ path, existing: 'ignore' });
  db.prepare(
    'INSERT INTO watch_folders (id, settings, enabled, primed, created_at) VALUES (?, ?, 1, 1, ?)',
  ).run(id, JSON.stringify(settings), Date.now());
  db.close();
  return id;
}

function resultPath(home: string, source: string, model: string, i: number, k: number): string {
  return join(home, 'out', `${basename(source, extname(source))}-${model}-${i}-${k + 1}.png`);
}

async function writeFiles(home: string, seeds: readonly SeedResult[]): Promise<string[]> {
  await mkdir(join(home, 'sources'), { recursive: true });
  await mkdir(join(home, 'out'), { recursive: true });
  const sources = seeds.map((seed) =>
    seed.sourceBytes ? join(home, 'sources', seed.source) : seed.source,
  );
  const writes = seeds.flatMap((seed, i) => {
    const results = seed.results.map((bytes, k) => {
      const path = resultPath(home, sources[i]!, seed.model, i, k);
      return [
        [path, bytes],
        [`${path}.json`, `${JSON.stringify({ generator: 'GenQueue', prompt: seed.prompt })}\n`],
      ] as const;
    });
    return [
      ...(seed.sourceBytes ? [[sources[i]!, seed.sourceBytes] as const] : []),
      ...results.flat(),
    ];
  });
  for (let i = 0; i < writes.length; i += 500) {
    await Promise.all(writes.slice(i, i + 500).map(([path, data]) => writeFile(path, data)));
  }
  return sources;
}

/** Writes `seeds` as done jobs into the queue of `home` (no engine may hold it yet). */
export async function seedResults(home: string, seeds: readonly SeedResult[]): Promise<string[]> {
  const sources = await writeFiles(home, seeds);
  const db = openDatabase(join(home, 'genqueue.db'));
  const store = createJobsStore(db);
  const ledger = db.prepare(
    'INSERT INTO processed (sha256, recipe_key, folder_id, source, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const ids = seeds.map((seed, i) => {
    const source = sources[i]!;
    const recipe = { model: seed.model, prompt: seed.prompt };
    const [id] = store.enqueue([{ source, recipe, simulated: true }], seed.batchAt);
    for (const stage of ['preparing', 'uploading', 'submitting'] as const)
      store.transition(id!, stage, {}, seed.batchAt);
    store.transition(id!, 'running', { taskId: `task-seed-${i}` }, seed.batchAt);
    store.transition(id!, 'downloading', {}, seed.finishedAt);
    const results = seed.results.map((bytes, k) => {
      const path = resultPath(home, source, seed.model, i, k);
      // A PNG's IHDR holds its width and height at bytes 16 and 20.
      const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
      return { path, sidecar: `${path}.json`, bytes: bytes.length, format: 'png', width, height };
    });
    const cost = seed.costMicros === undefined ? {} : { costMicros: seed.costMicros };
    store.transition(
      id!,
      'done',
      { results, finishedAt: seed.finishedAt, ...cost },
      seed.finishedAt,
    );
    if (seed.folderId)
      ledger.run(`seed-${i}`, recipeKey(recipe), seed.folderId, source, id!, seed.batchAt);
    return id!;
  });
  db.close();
  return ids;
}
