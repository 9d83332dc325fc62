// Full-size images for the compare, asked of the engine (`results.image`: a data URL, bounded in
// size, never a file URL): the last dozen are kept, so stepping back and forth is instant, and
// a request already on its way is shared rather than sent twice.
import type { FullImage } from '../../../main/contract/results.ts';
import type { EngineClient } from '../engine-client.ts';

const KEEP = 12;

export interface FullImageRequest {
  id: string;
  which: 'source' | 'result';
  index: number;
}

export interface FullImages {
  peek(request: FullImageRequest): FullImage | undefined;
  load(request: FullImageRequest): Promise<FullImage>;
}

const keyOf = ({ id, which, index }: FullImageRequest) => `${id}:${which}:${index}`;
const made = new WeakMap<EngineClient, FullImages>();

function create(client: EngineClient): FullImages {
  const kept = new Map<string, FullImage>();
  const pending = new Map<string, Promise<FullImage>>();
  return {
    peek: (request) => kept.get(keyOf(request)),
    load(request) {
      const key = keyOf(request);
      const hit = kept.get(key);
      if (hit) return Promise.resolve(hit);
      let loading = pending.get(key);
      if (!loading) {
        loading = client.call('results.image', request).then((image) => {
          kept.set(key, image);
          if (kept.size > KEEP) kept.delete(kept.keys().next().value!);
          return image;
        });
        loading.finally(() => pending.delete(key)).catch(() => undefined);
        pending.set(key, loading);
      }
      return loading;
    },
  };
}

/** The one cache for this engine client. */
export function fullImages(client: EngineClient): FullImages {
  let images = made.get(client);
  if (!images) made.set(client, (images = create(client)));
  return images;
}
