// Decides when a file has stopped changing. A file is stable once its size, mtime and ctime have
// not moved for `stableMs`: either its change time is already that old when we look, or two looks
// `stableMs` apart saw the same stamp (for clocks we cannot trust). One timer serves every file.
// Links and pipes are looked at, not through, and handed on at once: the taker refuses them.
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { exponentialDelay } from '../util/backoff.ts';
import { mapLimit } from '../util/limit.ts';
import type { FileStamp } from './watch-store.ts';

/** Sweeps are grouped to this granularity, so a burst of files costs a few timers, not one each. */
const QUANTUM_MS = 25;
/** Stats in flight at once during a sweep. */
const STAT_CONCURRENCY = 32;
/** A file that cannot be stat'ed (other than gone) is retried this many times, then reported. */
const MAX_TROUBLE = 5;

export interface StabilityTracker {
  /** Something happened to this file: (re)start its stability window now. */
  touch(path: string): void;
  /**
   * A file found by a scan, with what the scan's stat saw: a file already still for the window
   * is stable at once (no second stat); any other is checked when its window has passed.
   */
  found(path: string, seen: Stamp): void;
  readonly pending: number;
  close(): void;
}

export interface StabilityOptions {
  stableMs: number;
  onStable(path: string, stamp: FileStamp): void;
  /** The file exists but cannot be read, after several tries. */
  onTrouble(path: string, error: NodeJS.ErrnoException): void;
  /** How a file is looked at (fs lstat; tests give a file table on a mocked clock). */
  lstat?(
    path: string,
  ): Promise<Pick<Stats, 'isFile' | 'isDirectory' | 'size' | 'mtimeMs' | 'ctimeMs'>>;
}

export type Stamp = FileStamp & { ctimeMs: number };

interface Entry {
  dueAt: number;
  snap?: Stamp;
  snapAt: number;
  troubles: number;
  /** Bumped by every touch, so a check that raced with a touch does not conclude. */
  generation: number;
}

export function createStabilityTracker(options: StabilityOptions): StabilityTracker {
  const { stableMs } = options;
  const look = options.lstat ?? lstat;
  const pending = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let sweeping = false;
  let closed = false;

  function schedule(at: number): void {
    if (closed || sweeping) return;
    const rounded = Math.ceil(at / QUANTUM_MS) * QUANTUM_MS;
    if (rounded >= timerAt) return;
    clearTimeout(timer);
    timerAt = rounded;
    timer = setTimeout(() => void sweep(), Math.max(0, rounded - Date.now()));
  }

  /** Untouched for the window, by the file's own clock (unless that clock is in the future). */
  function stillForWindow(seen: Stamp, now: number): boolean {
    const changedAt = Math.max(seen.mtimeMs, seen.ctimeMs);
    return changedAt <= now + 1000 && now - changedAt >= stableMs;
  }

  function isStable(entry: Entry, now: number, seen: Stamp): boolean {
    if (stillForWindow(seen, now)) return true;
    const { snap } = entry;
    return (
      snap !== undefined &&
      now - entry.snapAt >= stableMs &&
      snap.size === seen.size &&
      snap.mtimeMs === seen.mtimeMs &&
      snap.ctimeMs === seen.ctimeMs
    );
  }

  async function check(path: string, entry: Entry): Promise<void> {
    const generation = entry.generation;
    let seen;
    try {
      const info = await look(path);
      if (!info.isFile()) {
        pending.delete(path);
        if (!info.isDirectory()) options.onStable(path, { size: info.size, mtimeMs: info.mtimeMs });
        return;
      }
      seen = { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
    } catch (thrown) {
      const error = thrown as NodeJS.ErrnoException;
      if (closed || entry.generation !== generation) return;
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
        pending.delete(path);
      } else if (++entry.troubles >= MAX_TROUBLE) {
        pending.delete(path);
        options.onTrouble(path, error);
      } else {
        entry.dueAt = Date.now() + exponentialDelay(entry.troubles, stableMs, Infinity);
      }
      return;
    }
    if (closed || entry.generation !== generation) return;
    const now = Date.now();
    if (isStable(entry, now, seen)) {
      pending.delete(path);
      options.onStable(path, { size: seen.size, mtimeMs: seen.mtimeMs });
      return;
    }
    const changedAt = Math.max(seen.mtimeMs, seen.ctimeMs);
    entry.snap = seen;
    entry.snapAt = now;
    entry.dueAt = Math.max(now + QUANTUM_MS, Math.min(now + stableMs, changedAt + stableMs));
  }

  async function sweep(): Promise<void> {
    timerAt = Infinity;
    sweeping = true;
    try {
      const now = Date.now();
      const due = [...pending].filter(([, entry]) => entry.dueAt <= now);
      await mapLimit(due, STAT_CONCURRENCY, ([path, entry]) => check(path, entry));
    } finally {
      sweeping = false;
    }
    let next = Infinity;
    for (const entry of pending.values()) next = Math.min(next, entry.dueAt);
    if (next !== Infinity) schedule(next);
  }

  function enter(path: string, dueAt: number): void {
    const entry = pending.get(path);
    if (entry) {
      entry.generation++;
      entry.dueAt = Math.max(entry.dueAt, dueAt);
      entry.troubles = 0;
    } else {
      pending.set(path, { dueAt, snapAt: Date.now(), troubles: 0, generation: 0 });
    }
    schedule(pending.get(path)!.dueAt);
  }

  return {
    touch(path) {
      enter(path, Date.now() + stableMs);
    },
    found(path, seen) {
      const now = Date.now();
      if (!pending.has(path) && stillForWindow(seen, now)) {
        options.onStable(path, { size: seen.size, mtimeMs: seen.mtimeMs });
        return;
      }
      enter(path, now);
    },
    get pending() {
      return pending.size;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      pending.clear();
    },
  };
}
