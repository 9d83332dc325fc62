// The renderer's only way to the engine. In the app it wraps the preload's window.genqueue; in
// browser tests an in-process bridge installs the same object. Calls return the value or throw
// an EngineClientError carrying the EngineError, so components handle one error shape.
import type { EngineError } from '../../main/contract/errors.ts';
import type { EventEnvelopeOf, EventName } from '../../main/contract/events.ts';
import type { RouteInput, RouteName, RouteOutput } from '../../main/contract/routes.ts';
import type { GenQueueBridge } from '../../preload/api.ts';

export class EngineClientError extends Error {
  readonly error: EngineError;
  constructor(error: EngineError) {
    super(error.message);
    this.name = 'EngineClientError';
    this.error = error;
  }
}

export interface EngineClient {
  call<K extends RouteName>(route: K, input: RouteInput<K>): Promise<RouteOutput<K>>;
  on<K extends EventName>(event: K, listener: (envelope: EventEnvelopeOf<K>) => void): () => void;
  pathForFile(file: File): string;
}

export function createEngineClient(
  bridge: GenQueueBridge | undefined = window.genqueue,
): EngineClient {
  if (!bridge)
    throw new Error('GenQueue must run inside its app window (window.genqueue is missing).');
  return {
    async call(route, input) {
      const result = await bridge.invoke(route, input);
      if (!result.ok) throw new EngineClientError(result.error);
      return result.value;
    },
    on: (event, listener) => bridge.subscribe(event, listener),
    pathForFile: (file) => bridge.pathForFile(file),
  };
}
