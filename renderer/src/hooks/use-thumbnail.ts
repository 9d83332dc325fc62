// One thumbnail for a row or a card: asks the shared loader for it while the component is mounted
// and re-renders when it arrives. undefined while loading, null when there is no preview.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { ThumbnailLoader } from '../lib/thumbnail-loader.ts';

export function useThumbnail(
  loader: ThumbnailLoader,
  id: string,
  which: 'source' | 'result',
  index: number,
  /** Changes when the image behind the thumbnail changes (prepared, new result). */
  revision: string,
  /** False: show it if already loaded, but do not ask for it (yet). */
  enabled = true,
): string | null | undefined {
  const key = `${id}:${which}:${index}:${revision}`;
  const watch = useCallback((listener: () => void) => loader.watch(key, listener), [loader, key]);
  const url = useSyncExternalStore(watch, () => loader.peek(key));
  useEffect(() => {
    if (!enabled || loader.peek(key) !== undefined) return;
    return loader.want(key, { id, which, index });
  }, [loader, key, id, which, index, enabled]);
  return url;
}
