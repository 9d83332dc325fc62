// A safety net under the native watcher: every watcher tested here sometimes drops the tail of a
// burst in a brand-new or very busy folder (an inotify watch installed late). So each folder that
// just saw activity is read again once it has been quiet briefly; what is already known costs a stat.

export interface Rescanner {
  /** Activity in `dir`: read it again (with its sub-folders when `deep`) once it quiets down. */
  mark(dir: string, deep: boolean): void;
  close(): void;
}

interface Mark {
  timer: NodeJS.Timeout;
  deep: boolean;
  firstAt: number;
}

export function createRescanner(options: {
  /** Quiet time after the last activity before the folder is read again. */
  quietMs: number;
  /** A folder that never quiets down is still read at least this often. */
  maxWaitMs: number;
  rescan(dir: string, deep: boolean): Promise<void>;
}): Rescanner {
  const marks = new Map<string, Mark>();
  let closed = false;

  function run(dir: string): void {
    const mark = marks.get(dir);
    marks.delete(dir);
    if (mark && !closed) void options.rescan(dir, mark.deep).catch(() => {});
  }

  return {
    mark(dir, deep) {
      if (closed) return;
      const now = Date.now();
      const previous = marks.get(dir);
      clearTimeout(previous?.timer);
      const firstAt = previous?.firstAt ?? now;
      const delay = Math.max(0, Math.min(options.quietMs, firstAt + options.maxWaitMs - now));
      marks.set(dir, {
        timer: setTimeout(() => run(dir), delay),
        deep: deep || (previous?.deep ?? false),
        firstAt,
      });
    },
    close() {
      closed = true;
      for (const mark of marks.values()) clearTimeout(mark.timer);
      marks.clear();
    },
  };
}
