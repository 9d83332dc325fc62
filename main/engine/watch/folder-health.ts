// Whether a watched folder is there to be watched: it exists, is a folder (the same one) and can
// be read. While it is, a light look every few seconds (and a full rescan now and then); when it
// is not, the watch is closed, the status says why in a sentence, and it starts over after a delay.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { toEngineError } from '../../contract/errors.ts';
import type { WatchStatus } from '../../contract/watch.ts';
import { exponentialDelay } from '../util/backoff.ts';

export interface WatchTiming {
  /** How often a watched folder's own existence and readability are checked. */
  healthMs: number;
  /** First retry after folder trouble; doubles up to retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** A full rescan now and then catches what notifications miss (network drives). */
  rescanMs: number;
}

export const DEFAULT_WATCH_TIMING: WatchTiming = {
  healthMs: 2000,
  retryBaseMs: 1000,
  retryCapMs: 60_000,
  rescanMs: 10 * 60_000,
};

/** The folder as found: its identity (a folder replaced by another is trouble) and real path. */
interface FolderFound {
  id: string;
  real: string;
}

export type ProbeFolder = (root: string) => Promise<FolderFound>;

/** Throws the reason (ENOENT, ENOTDIR, EACCES…) when `root` is not a readable folder. */
export async function probeFolder(root: string): Promise<FolderFound> {
  const info = await stat(root);
  if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  await access(root, constants.R_OK | constants.X_OK);
  return { id: `${info.dev}:${info.ino}`, real: await realpath(root) };
}

export function describeFolderTrouble(path: string, thrown: unknown): string {
  const code = (thrown as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return `The folder ${path} cannot be found: it was deleted or renamed, or its drive is gone. GenQueue keeps looking for it.`;
  if (code === 'EACCES' || code === 'EPERM')
    return `GenQueue is not allowed to read the folder ${path}. It tries again now and then.`;
  if (code === 'ENOTDIR') return `${path} is not a folder any more. GenQueue keeps looking for it.`;
  if (code === 'ENOSPC' || code === 'EMFILE')
    return `The system has no more file watches to give for ${path}. GenQueue tries again now and then.`;
  return `The folder ${path} cannot be watched: ${toEngineError(thrown).message}`;
}

export interface FolderHealthDeps {
  root: string;
  timing: WatchTiming;
  signal: AbortSignal;
  /** The folder is fine: start watching it (notifications, first scan). */
  open(): Promise<void>;
  /** Stop watching it (trouble, or a retry about to open it again). */
  close(): Promise<void>;
  /** A full look at every file in the folder. */
  rescan(): Promise<void>;
  /** The status or its message changed. */
  changed(): void;
  /** Asked at each look: true makes this look a full rescan (tests asking for one). */
  rescanWanted?(): boolean;
  probe?: ProbeFolder;
}

export interface FolderHealth {
  readonly status: WatchStatus;
  readonly error: string | undefined;
  /** Where the folder really is, as of the last look (its links resolved). */
  readonly real: string;
  start(): Promise<void>;
  /** Looks now (after a watcher error, say); `rescan` makes it a full rescan too. */
  recheck(rescan: boolean): Promise<void>;
  /** Stops watching, shows `message`, and starts over after a growing delay. */
  trouble(message: string): Promise<void>;
  stop(): void;
}

export function createFolderHealth(deps: FolderHealthDeps): FolderHealth {
  const { root, timing, signal } = deps;
  const probe = deps.probe ?? probeFolder;
  let status: WatchStatus = 'starting';
  let error: string | undefined;
  let rootId = '';
  let real = root;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let nextRescanAt = Date.now() + timing.rescanMs;

  function setStatus(next: WatchStatus, message?: string): void {
    if (status === next && error === message) return;
    status = next;
    error = message;
    deps.changed();
  }

  function schedule(delay: number, fn: () => Promise<void>): void {
    clearTimeout(timer);
    timer = setTimeout(() => void fn(), delay);
    timer.unref();
  }

  async function look(): Promise<string> {
    const found = await probe(root);
    real = found.real;
    return found.id;
  }

  async function start(): Promise<void> {
    try {
      rootId = await look();
      await deps.open();
      if (signal.aborted) return;
      failures = 0;
      setStatus('watching');
      schedule(timing.healthMs, () => recheck(false));
    } catch (thrown) {
      if (!signal.aborted) await trouble(describeFolderTrouble(root, thrown));
    }
  }

  async function recheck(rescan: boolean): Promise<void> {
    if (signal.aborted || status !== 'watching') return;
    try {
      if ((await look()) !== rootId) throw Object.assign(new Error('replaced'), { code: 'ENOENT' });
      if (rescan || Date.now() >= nextRescanAt || deps.rescanWanted?.()) {
        nextRescanAt = Date.now() + timing.rescanMs;
        await deps.rescan();
      }
      schedule(timing.healthMs, () => recheck(false));
    } catch (thrown) {
      if (!signal.aborted) await trouble(describeFolderTrouble(root, thrown));
    }
  }

  async function trouble(message: string): Promise<void> {
    await deps.close().catch(() => {});
    setStatus('error', message);
    const delay = exponentialDelay(failures++, timing.retryBaseMs, timing.retryCapMs);
    schedule(delay, start);
  }

  return {
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    get real() {
      return real;
    },
    start,
    recheck,
    trouble,
    stop() {
      clearTimeout(timer);
    },
  };
}
