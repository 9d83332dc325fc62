// Which paths under a watched folder are candidates: image names only, no hidden or temporary
// files, nothing inside GenQueue's own output folders (even one inside the watched folder) or the
// done/ and failed/ folders originals are moved to, and the person's include/exclude globs.
import { matchesGlob, relative, resolve, sep } from 'node:path';
import type { WatchFolderSettings } from '../../contract/watch.ts';
import { looksLikeImageName } from '../ingest/expand-paths.ts';

/** The folder GenQueue writes results into when no output folder is set (beside the source). */
const DEFAULT_OUTPUT_NAME = 'genqueue-output';
export const DONE_DIR = 'done';
export const FAILED_DIR = 'failed';

export interface PathRules {
  /** Whether a folder (absolute) may hold candidates: walked by scans, its events kept. */
  wantsDir(dir: string): boolean;
  /** Whether a file (absolute) is a candidate for queueing. */
  wantsFile(path: string): boolean;
  /** Absolute folders to leave out entirely (handed to the watcher as its ignore list). */
  ignoredDirs: readonly string[];
}

function globMatch(rel: string, patterns: readonly string[]): boolean {
  const lower = rel.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  return patterns.some((pattern) => {
    const glob = pattern.toLowerCase();
    return matchesGlob(glob.includes('/') ? lower : name, glob);
  });
}

export function createPathRules(
  settings: WatchFolderSettings,
  outputDirs: readonly string[],
): PathRules {
  const root = resolve(settings.path);
  const ignoredDirs = [...new Set(outputDirs.map((dir) => resolve(dir)))];
  const skippedNames = new Set([DEFAULT_OUTPUT_NAME]);
  if (settings.afterSuccess === 'move') skippedNames.add(DONE_DIR);
  if (settings.afterFailure === 'move') skippedNames.add(FAILED_DIR);

  /** Path segments below the root, or undefined when the path is not below it. */
  function segments(path: string): string[] | undefined {
    const rel = relative(root, path);
    if (rel === '') return [];
    if (rel.startsWith('..') || resolve(root, rel) !== path) return undefined;
    return rel.split(sep);
  }

  function dirAllowed(parts: readonly string[], absolute: string): boolean {
    if (!settings.recursive && parts.length > 0) return false;
    if (parts.some((part) => part.startsWith('.') || skippedNames.has(part))) return false;
    return !ignoredDirs.some((dir) => absolute === dir || absolute.startsWith(dir + sep));
  }

  return {
    ignoredDirs,
    wantsDir(dir) {
      const parts = segments(dir);
      return parts !== undefined && dirAllowed(parts, dir);
    },
    wantsFile(path) {
      const parts = segments(path);
      if (!parts || parts.length === 0 || !looksLikeImageName(path)) return false;
      if (!dirAllowed(parts.slice(0, -1), path)) return false;
      const rel = parts.join('/');
      if (settings.include.length > 0 && !globMatch(rel, settings.include)) return false;
      return !globMatch(rel, settings.exclude);
    },
  };
}
