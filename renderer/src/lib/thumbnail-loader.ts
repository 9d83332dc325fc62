// Thumbnails come from the engine (`jobs.thumbnail`, small WebP data URLs), never from the full
// image. This loader keeps the last few hundred in memory, asks for at most a few at a time, and
// serves the newest request first, so the rows a person is looking at fill in before those that
// scrolled past; a request whose row unmounts before its turn (or within 150 ms, while the list
// flies past) is dropped.
import type { EngineClient } from '../engine-client.ts';

const KEEP = 800;
const IN_FLIGHT = 4;
const START_DELAY_MS = 150;

export interface ThumbnailRequest {
  id: string;
  which: 'source' | 'result';
  index?: number;
}

export interface ThumbnailLoader {
  /** The data URL, null when the engine could not make one, undefined when not loaded yet. */
  peek(key: string): string | null | undefined;
  watch(key: string, listener: () => void): () => void;
  /** Ask for a thumbnail; returns a function that withdraws the request if it has not started. */
  want(key: string, request: ThumbnailRequest): () => void;
}

interface Pending {
  key: string;
  request: ThumbnailRequest;
  withdrawn: boolean;
}

export function createThumbnailLoader(client: EngineClient): ThumbnailLoader {
  const cache = new Map<string, string | null>();
  const watchers = new Map<string, Set<() => void>>();
  const loading = new Set<string>();
  const stack: Pending[] = [];
  let running = 0;

  function store(key: string, value: string | null): void {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    for (const listener of watchers.get(key) ?? []) listener();
  }

  function pump(): void {
    while (running < IN_FLIGHT && stack.length > 0) {
      const next = stack.pop()!;
      if (next.withdrawn || cache.has(next.key) || loading.has(next.key)) continue;
      running++;
      loading.add(next.key);
      client
        .call('jobs.thumbnail', next.request)
        .then(
          ({ dataUrl }) => store(next.key, dataUrl),
          () => store(next.key, null),
        )
        .finally(() => {
          running--;
          loading.delete(next.key);
          pump();
        });
    }
  }

  return {
    peek: (key) => cache.get(key),
    watch(key, listener) {
      let set = watchers.get(key);
      if (!set) watchers.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) watchers.delete(key);
      };
    },
    want(key, request) {
      const pending: Pending = { key, request, withdrawn: false };
      const timer = setTimeout(() => {
        stack.push(pending);
        pump();
      }, START_DELAY_MS);
      return () => {
        clearTimeout(timer);
        pending.withdrawn = true;
      };
    },
  };
}
