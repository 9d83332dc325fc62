// The window-side surface of the preload, as a type: what `window.genqueue` offers. The preload
// implementation `satisfies` it, and the renderer's EngineClient is written against it, so the
// two cannot drift apart without a compile error.
import type { Result } from '../main/contract/errors.ts';
import type { EventEnvelopeOf, EventName } from '../main/contract/events.ts';
import type { RouteInput, RouteName, RouteOutput } from '../main/contract/routes.ts';

export interface GenQueueBridge {
  invoke<K extends RouteName>(route: K, input: RouteInput<K>): Promise<Result<RouteOutput<K>>>;
  subscribe<K extends EventName>(
    event: K,
    listener: (envelope: EventEnvelopeOf<K>) => void,
  ): () => void;
  /** The file-system path of a dropped File (Electron's webUtils); '' where there is none. */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    genqueue?: GenQueueBridge;
  }
}
