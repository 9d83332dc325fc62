// Native change notification for one folder tree, behind one small interface so the rest of the
// watch code does not care which library delivers it. chokidar is the product's choice: on Linux
// @parcel/watcher never watches folders made with `mkdir -p` (parcel-bundler/watcher#97, #243), so
// files in them would be missed; parcel stays as the benchmark's comparison, through the same path.
import parcel from '@parcel/watcher';
import { watch as chokidarWatch } from 'chokidar';
import { dirname, resolve, sep } from 'node:path';

export type TreeWatchBackend = 'parcel' | 'chokidar';

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

export async function watchTree(
  options: TreeWatchOptions,
  backend: TreeWatchBackend,
): Promise<TreeWatch> {
  return backend === 'parcel' ? watchWithParcel(options) : watchWithChokidar(options);
}

async function watchWithParcel(options: TreeWatchOptions): Promise<TreeWatch> {
  const root = resolve(options.root);
  const subscription = await parcel.subscribe(
    root,
    (error, events) => {
      if (error) {
        options.onError(error);
        return;
      }
      const changes = options.recursive
        ? events
        : events.filter((event) => dirname(event.path) === root);
      if (changes.length > 0) options.onChanges(changes);
    },
    { ignore: [...options.ignoredDirs] },
  );
  return { close: () => subscription.unsubscribe() };
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
