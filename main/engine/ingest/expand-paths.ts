// Turns what a user handed us (files, folders, a mix) into the list of image files to queue:
// folders are walked recursively, hidden and temporary files are passed over, and everything
// that cannot be an image is counted once in a summary instead of failing one by one.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { IMAGE_EXTENSIONS } from '../../contract/image-files.ts';
import { describeKind } from './regular-file.ts';

const IMAGE_NAMES = new Set(IMAGE_EXTENSIONS);

const TEMPORARY = /^(~\$|\.)|\.(tmp|part|crdownload|download|partial)$/i;

export function looksLikeImageName(path: string): boolean {
  const name = basename(path);
  return !TEMPORARY.test(name) && IMAGE_NAMES.has(extname(name).slice(1).toLowerCase());
}

export interface Expanded {
  files: string[];
  skipped: { path: string; reason: string; jobId?: string }[];
}

/**
 * Files named directly are kept whatever their extension (the preflight reads their bytes), unless
 * they are pipes, devices or sockets (reading one would wait forever); files found inside folders
 * are kept only when they are regular files whose name looks like an image.
 */
export async function expandPaths(
  paths: readonly string[],
  ignoreDirs: ReadonlySet<string> = new Set(),
): Promise<Expanded> {
  const result: Expanded = { files: [], skipped: [] };
  for (const given of paths) {
    const path = resolve(given);
    try {
      const info = await stat(path);
      if (info.isDirectory()) await walk(path, result, ignoreDirs);
      else if (info.isFile()) result.files.push(path);
      else
        result.skipped.push({ path, reason: `This is ${describeKind(info)}, not an image file.` });
    } catch {
      result.skipped.push({ path, reason: 'GenQueue cannot find or open this file.' });
    }
  }
  // Overlapping paths (a file given directly and through its folder) name each file once.
  return { files: [...new Set(result.files)], skipped: result.skipped };
}

async function walk(dir: string, into: Expanded, ignoreDirs: ReadonlySet<string>): Promise<void> {
  if (ignoreDirs.has(dir) || basename(dir) === 'genqueue-output') return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    into.skipped.push({ path: dir, reason: 'GenQueue cannot read this folder.' });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) await walk(path, into, ignoreDirs);
    } else if (entry.isFile()) {
      if (looksLikeImageName(path)) into.files.push(path);
      else if (!entry.name.startsWith('.')) into.skipped.push({ path, reason: 'Not an image.' });
    }
  }
}

/** How a skip reason reads in a batch summary, in the plural; other reasons are quoted as is. */
const SUMMARY_PHRASES: Record<string, string> = {
  'Not an image.': 'not images',
  'Already queued with this recipe.': 'already queued with this recipe',
  'GenQueue cannot find or open this file.': 'not found or not readable',
};

/** "3 of 120 files skipped: not images." — one sentence for a whole batch. */
export function skippedSummary(expanded: Expanded): string | undefined {
  const { skipped, files } = expanded;
  if (skipped.length === 0) return undefined;
  // A file skipped because it is already queued is also among `files`: count it once.
  const listed = new Set(files);
  const total = files.length + skipped.filter((s) => !listed.has(s.path)).length;
  const byReason = new Map<string, number>();
  for (const { reason } of skipped) {
    const phrase = SUMMARY_PHRASES[reason] ?? reason.replace(/\.$/, '').toLowerCase();
    byReason.set(phrase, (byReason.get(phrase) ?? 0) + 1);
  }
  const parts = [...byReason].map(([phrase, n]) =>
    byReason.size === 1 ? phrase : `${n} ${phrase}`,
  );
  return `${skipped.length} of ${total} files skipped: ${parts.slice(0, 3).join(', ')}.`;
}
