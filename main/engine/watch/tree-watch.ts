// Native change notification for one folder tree, behind one small interface so the rest of the
// watch code does not care which library delivers it. chokidar is the product's choice: on Linux
// @parcel/watcher never watches folders made with `mkdir -p` (parcel-bundler/watcher#97, #243), so
// files in them would be missed; the benchmark passes its own parcel backend through the same path.
import { watch as chokidarWatch } from 'chokidar';
import { resolve, sep } from 'node:path';

export interface TreeChange {
  path: string;
  type: 'create' | 'update' | 'delete';
}

export interface TreeWatchOptions {
  root: string;
  recursive: boolean;
  /** Absolute folders whose changes are not wanted (GenQueue's own outputs). */
  ignoredDirs: readonly string[];
  onChanges(changes: readonly TreeChange[]): void;
  /** The watcher itself failed (lost events, the folder went away): the caller rescans or retries. */
  onError(error: Error): void;
}

export interface TreeWatch {
  close(): Promise<void>;
}

/** Starts delivering one tree's changes: chokidar's (below) unless another backend is given. */
export type TreeWatchBackend = (options: TreeWatchOptions) => Promise<TreeWatch>;

export function watchTree(
  options: TreeWatchOptions,
  backend: TreeWatchBackend = watchWithChokidar,
): Promise<TreeWatch> {
  return backend(options);
}

async function watchWithChokidar(options: TreeWatchOptions): Promise<TreeWatch> {
  const ignored = options.ignoredDirs;
  const watcher = chokidarWatch(resolve(options.root), {
    ignoreInitial: true,
    // A link is reported as itself (and refused when taken), never walked into.
    followSymlinks: false,
    ...(!options.recursive && { depth: 0 }),
    ignored: (path: string) => ignored.some((dir) => path === dir || path.startsWith(dir + sep)),
  });
  const forward = (type: TreeChange['type']) => (path: string) =>
    options.onChanges([{ path, type }]);
  watcher.on('add', forward('create'));
  watcher.on('addDir', forward('create'));
  watcher.on('change', forward('update'));
  watcher.on('unlink', forward('delete'));
  watcher.on('error', (error) => options.onError(error as Error));
  await new Promise<void>((ready, failed) => {
    watcher.once('ready', ready);
    watcher.once('error', failed);
  });
  return { close: () => watcher.close() };
}
