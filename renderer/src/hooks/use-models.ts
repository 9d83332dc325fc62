// The models the recipe forms offer and judge recipes by: the engine's models.list (APIMart's live
// list and schemas, or the built-in table while it has none). App keeps it current (useModelList:
// fetched when the window opens and again on every models.updated); every form reads it with
// useModels, and re-renders when it changes.
import { useEffect, useSyncExternalStore } from 'react';
import { MODEL_CATALOGUE, modelIn } from '../../../main/contract/catalogue.ts';
import type { ModelInfo } from '../../../main/contract/model-info.ts';
import type { EngineClient } from '../engine-client.ts';

export interface Models {
  list: readonly ModelInfo[];
  /** The entry a recipe for model `id` is judged by; undefined when nothing is known of it. */
  info(id: string): ModelInfo | undefined;
}

function modelsOf(list: readonly ModelInfo[]): Models {
  return { list, info: (id) => modelIn(list, id) };
}

/** The window's one list: the built-in table until the engine answers. */
let current = modelsOf(MODEL_CATALOGUE);
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useModels(): Models {
  return useSyncExternalStore(subscribe, () => current);
}

/** For App: asks the engine for the list now and whenever it changes. */
export function useModelList(client: EngineClient): Models {
  useEffect(() => {
    let live = true;
    const load = (): void =>
      void client.call('models.list', {}).then(
        (list) => {
          if (!live) return;
          current = modelsOf(list.models);
          for (const listener of listeners) listener();
        },
        () => {},
      );
    const off = client.on('models.updated', load);
    load();
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return useModels();
}
