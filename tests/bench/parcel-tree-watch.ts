// @parcel/watcher as a tree-watch backend, for the watch benchmark only: the product watches with
// chokidar (README says why), and this keeps the comparison running through the same engine code.
// @parcel/watcher is a devDependency, so the native module never ships in the app.
import parcel from '@parcel/watcher';
import { dirname, resolve } from 'node:path';
import type { TreeWatch, TreeWatchOptions } from '../../main/engine/watch/tree-watch.ts';

export async function watchWithParcel(options: TreeWatchOptions): Promise<TreeWatch> {
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
