// What is new or changed in a watched tree since the last look: the folder is walked (at start,
// after activity in a folder, now and then in full), each file's size and mtime compared with
// watch_files, and what was not seen like that is handed to the stability tracker. Notifications
// land here too. Links to folders are listed, never walked into (they may lead anywhere).
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { looksLikeImageName } from '../ingest/expand-paths.ts';
import { mapLimit } from '../util/limit.ts';
import type { PathRules } from './path-rules.ts';
import { createRescanner } from './rescanner.ts';
import type { Stamp } from './stability.ts';
import type { TreeChange } from './tree-watch.ts';
import type { FileStamp, WatchStore } from './watch-store.ts';

const SCAN_STAT_CONCURRENCY = 32;
const RESCAN_QUIET_MS = 300;
const RESCAN_MAX_WAIT_MS = 2000;

/** What the scan needs of the store: which files were looked at, with which stamp. */
export type ScanStore = Pick<WatchStore, 'seen' | 'markSeen'>;

/** One walk over a folder (with its sub-folders when deep), as it ended. */
export interface ScanPass {
  dir: string;
  deep: boolean;
  startedAt: number;
  /** Files not seen before with this stamp, handed on to the stability tracker. */
  handedOn: number;
}

export interface TreeScanDeps {
  folderId: string;
  recursive: boolean;
  store: ScanStore;
  /** The path rules as of the last (re)start: GenQueue's output folders may have changed. */
  rules(): PathRules;
  /** Files changed before this are what was there before the watch began (for priming). */
  startedAt: number;
  signal: AbortSignal;
  /** A file not seen with this stamp: the stability tracker takes it from here. */
  found(path: string, seen: Stamp): void;
  /** A notification about a file: its stability window starts again. */
  touched(path: string): void;
  /** Passes a file over on purpose, with why. */
  skip(path: string, stamp: FileStamp, reason: string): void;
  passed?(pass: ScanPass): void;
}

export interface TreeScan {
  /** Walks `dir` (deep: with its sub-folders); priming notes what was there without taking it. */
  scan(dir: string, deep: boolean, priming?: boolean): Promise<void>;
  /** Native notifications: files go to the tracker, new folders are walked. */
  changed(changes: readonly TreeChange[]): void;
  close(): void;
}

interface Listing {
  files: string[];
  dirs: string[];
  links: string[];
}

export function createTreeScan(deps: TreeScanDeps): TreeScan {
  const { folderId, store, signal } = deps;
  const rescanner = createRescanner({
    quietMs: RESCAN_QUIET_MS,
    maxWaitMs: RESCAN_MAX_WAIT_MS,
    rescan: (dir, deep) => scan(dir, deep),
  });

  async function list(dir: string): Promise<Listing> {
    const rules = deps.rules();
    const listing: Listing = { files: [], dirs: [], links: [] };
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (deps.recursive && rules.wantsDir(path)) listing.dirs.push(path);
      } else if (rules.wantsFile(path)) {
        listing.files.push(path);
      } else if (entry.isSymbolicLink() && deps.recursive && rules.wantsDir(path)) {
        listing.links.push(path);
      }
    }
    return listing;
  }

  /** Hands on each file not seen with its stamp; returns how many. */
  async function look(files: readonly string[], priming: boolean): Promise<number> {
    const ignored: { path: string; stamp: FileStamp }[] = [];
    let handedOn = 0;
    await mapLimit(files, SCAN_STAT_CONCURRENCY, async (path) => {
      if (signal.aborted) return;
      try {
        const info = await lstat(path);
        const stamp = { size: info.size, mtimeMs: info.mtimeMs };
        if (store.seen(folderId, path, stamp)) return;
        // Priming leaves alone what was there before the watch began, not what lands meanwhile.
        if (priming && Math.max(info.mtimeMs, info.ctimeMs) < deps.startedAt)
          ignored.push({ path, stamp });
        else {
          handedOn++;
          deps.found(path, { ...stamp, ctimeMs: info.ctimeMs });
        }
      } catch {
        // Vanished between readdir and stat.
      }
    });
    store.markSeen(folderId, ignored);
    return handedOn;
  }

  /** Links are looked at, never through: the tracker hands them on and the taker refuses them. */
  async function walk(dir: string, deep: boolean, priming: boolean): Promise<number> {
    const { files, dirs, links } = await list(dir);
    let handedOn = await look(files, priming);
    for (const link of links) await linkedFolder(link);
    for (const sub of deep ? dirs : []) {
      if (signal.aborted) break;
      try {
        handedOn += await walk(sub, true, priming);
      } catch {
        // A sub-folder that cannot be read is left out; the root's health decides the status.
      }
    }
    return handedOn;
  }

  async function scan(dir: string, deep: boolean, priming = false): Promise<void> {
    const startedAt = Date.now();
    const handedOn = await walk(dir, deep, priming);
    if (!signal.aborted) deps.passed?.({ dir, deep, startedAt, handedOn });
  }

  /** A link among the folders is listed as passed over, once per stamp. */
  async function linkedFolder(path: string): Promise<void> {
    try {
      const link = await lstat(path);
      const stamp = { size: link.size, mtimeMs: link.mtimeMs };
      if (store.seen(folderId, path, stamp) || !(await stat(path)).isDirectory()) return;
      deps.skip(
        path,
        stamp,
        'It is a link to a folder: GenQueue does not walk into linked folders.',
      );
    } catch {
      // Gone, or a link to nothing: nothing to walk either way.
    }
  }

  /** A folder made, moved or copied in: its files may have arrived before its own watch did. */
  async function maybeFolder(path: string): Promise<void> {
    if (!deps.rules().wantsDir(path) || basename(path).startsWith('.')) return;
    try {
      const info = await lstat(path);
      if (info.isSymbolicLink()) return await linkedFolder(path);
      if (!info.isDirectory()) return;
      await scan(path, true);
      rescanner.mark(path, true);
    } catch {
      // Gone again, or unreadable: its own events (or the next scan) will tell.
    }
  }

  return {
    scan,
    changed(changes) {
      const rules = deps.rules();
      for (const change of changes) {
        if (change.type === 'delete') continue;
        if (rules.wantsFile(change.path)) {
          deps.touched(change.path);
          rescanner.mark(dirname(change.path), false);
        } else if (change.type === 'create' && !looksLikeImageName(change.path)) {
          void maybeFolder(change.path);
        }
      }
    },
    close: () => rescanner.close(),
  };
}
