// The watched folders, live: the list on mount, then each `watch.updated` (added or changed) and
// `watch.removed`; a gap in either event's versions refetches the list.
import { useEffect, useState } from 'react';
import type { WatchFolderView } from '../../../main/contract/watch.ts';
import type { EngineClient } from '../engine-client.ts';

export function useWatchFolders(client: EngineClient): WatchFolderView[] | null {
  const [folders, setFolders] = useState<WatchFolderView[] | null>(null);
  useEffect(() => {
    let live = true;
    const versions = { updated: 0, removed: 0 };
    const fetchAll = (): void => {
      client.call('watch.list', {}).then(
        (list) => live && setFolders(list),
        () => live && setFolders([]),
      );
    };
    const gap = (which: 'updated' | 'removed', version: number): boolean => {
      const missed = versions[which] !== 0 && version !== versions[which] + 1;
      versions[which] = version;
      if (missed) fetchAll();
      return missed;
    };
    const offUpdated = client.on('watch.updated', ({ version, payload }) => {
      if (gap('updated', version)) return;
      setFolders((list) => {
        const rest = (list ?? []).filter((folder) => folder.id !== payload.id);
        const at = (list ?? []).findIndex((folder) => folder.id === payload.id);
        if (at < 0) return [...rest, payload];
        rest.splice(at, 0, payload);
        return rest;
      });
    });
    const offRemoved = client.on('watch.removed', ({ version, payload }) => {
      if (gap('removed', version)) return;
      setFolders((list) => (list ?? []).filter((folder) => folder.id !== payload.id));
    });
    fetchAll();
    return () => {
      live = false;
      offUpdated();
      offRemoved();
    };
  }, [client]);
  return folders;
}
