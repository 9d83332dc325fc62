// Keeps the prepared-image cache from growing without end: a prepared file is up to 20 MB and a
// busy queue makes thousands. Oldest entries go first once the cache is over its budget; files an
// unfinished job still needs stay, and leftovers of a crash (temp files, half entries) go once old.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The default budget for the prepared cache (the documented disk use of GenQueue's cache). */
export const PREPARED_CACHE_BUDGET = 2 * 1024 ** 3;

/** How old a temp file or an entry's lone half must be before it counts as a crash's leftover. */
const LEFTOVER_AGE_MS = 60 * 60 * 1000;

interface Entry {
  files: { path: string; bytes: number }[];
  bytes: number;
  newest: number;
  complete: boolean;
}

export interface PruneResult {
  removedEntries: number;
  freedBytes: number;
  keptBytes: number;
}

/** Groups `<key>.json` and `<key>.<ext>` (and temp files) by key, with their sizes and ages. */
async function readEntries(cacheDir: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch {
    return entries; // no cache yet
  }
  for (const name of names) {
    const path = join(cacheDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const temp = name.endsWith('.tmp');
    const dot = name.indexOf('.');
    const key = temp || dot < 0 ? name : name.slice(0, dot);
    const entry = entries.get(key) ?? { files: [], bytes: 0, newest: 0, complete: false };
    entry.files.push({ path, bytes: info.size });
    entry.bytes += info.size;
    entry.newest = Math.max(entry.newest, info.mtimeMs);
    if (name === `${key}.json`) entry.complete = true;
    entries.set(key, entry);
  }
  return entries;
}

/**
 * Removes crash leftovers, then the oldest entries until the cache fits `budgetBytes`. Entries
 * holding a path in `inUse` are never removed. A file that cannot be removed now (open elsewhere)
 * is left for the next prune.
 */
export async function prunePreparedCache(
  cacheDir: string,
  options: { budgetBytes?: number; inUse: ReadonlySet<string>; now?: number },
): Promise<PruneResult> {
  const budget = options.budgetBytes ?? PREPARED_CACHE_BUDGET;
  const now = options.now ?? Date.now();
  const entries = await readEntries(cacheDir);
  const result: PruneResult = { removedEntries: 0, freedBytes: 0, keptBytes: 0 };
  const needed = (entry: Entry): boolean => entry.files.some((f) => options.inUse.has(f.path));
  const remove = async (key: string, entry: Entry): Promise<void> => {
    for (const file of entry.files) {
      try {
        await rm(file.path, { force: true });
        result.freedBytes += file.bytes;
      } catch {
        // still open (Windows) or already gone: the next prune tries again
      }
    }
    result.removedEntries += 1;
    entries.delete(key);
  };

  for (const [key, entry] of entries) {
    if (!entry.complete && !needed(entry) && now - entry.newest > LEFTOVER_AGE_MS) {
      await remove(key, entry);
    }
  }
  let total = [...entries.values()].reduce((sum, entry) => sum + entry.bytes, 0);
  const oldestFirst = [...entries].sort(([, a], [, b]) => a.newest - b.newest);
  for (const [key, entry] of oldestFirst) {
    if (total <= budget) break;
    if (needed(entry)) continue;
    await remove(key, entry);
    total -= entry.bytes;
  }
  result.keptBytes = total;
  return result;
}
