// The models a recipe is judged by: APIMart's own list and schemas when the engine has read them
// (cached with a TTL, refreshed in the background, never in a run's way), the built-in table
// otherwise. One lookup for the engine's checks, one list for the window and `genqueue models`.
import { findModel, MODEL_CATALOGUE, modelIn } from '../../contract/catalogue.ts';
import { EngineFailure } from '../../contract/errors.ts';
import type { ModelInfo, ModelList } from '../../contract/model-info.ts';
import { fetchModelList, fetchModelSchema, type ListedModel } from '../apimart/catalogue-client.ts';
import type { ApimartClient } from '../apimart/client.ts';
import { mapLimit } from '../util/limit.ts';
import type { CatalogueCache, LiveCatalogue } from './catalogue-cache.ts';
import { modelFromSchema } from './model-schema.ts';
import { within } from '../util/within.ts';

export interface ModelCatalogueDeps {
  cache: CatalogueCache;
  client: () => ApimartClient;
  baseUrl: () => string;
  /** Told after a refresh changed what is known (the engine emits models.updated). */
  changed?: () => void;
  now?: () => number;
  /** How long a fetched catalogue counts as fresh; default 24 h. */
  ttlMs?: number;
  /** How soon a failed refresh is tried again; default 15 min. */
  retryMs?: number;
}

export interface ModelCatalogue {
  /** The entry a recipe for `id` is judged by: live, else built-in, else undefined (unjudged). */
  lookup(id: string): ModelInfo | undefined;
  list(): ModelList;
  /** Reads the list and schemas now (or joins the refresh running); false when it failed. */
  refresh(): Promise<boolean>;
  /** Refreshes when nothing fresh is known, waiting at most `ms` for it. */
  ensureFresh(ms: number): Promise<void>;
  /** Refreshes when due, now and from then on in the background. */
  start(): void;
  /** A new key or base URL: refresh soon if what is known for it is missing or old. */
  wake(): void;
  stop(): void;
}

export const CATALOGUE_TTL_MS = 24 * 60 * 60 * 1000;
const RETRY_MS = 15 * 60 * 1000;
/** Schemas asked for at once, and at most per refresh. */
const SCHEMA_CONCURRENCY = 4;
const MAX_SCHEMAS = 300;

export function createModelCatalogue(deps: ModelCatalogueDeps): ModelCatalogue {
  const now = deps.now ?? Date.now;
  const ttl = deps.ttlMs ?? CATALOGUE_TTL_MS;
  let known: { baseUrl: string; catalogue: LiveCatalogue | undefined } | undefined;
  let running: Promise<boolean> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const aborts = new AbortController();

  function current(): LiveCatalogue | undefined {
    const baseUrl = deps.baseUrl();
    if (known?.baseUrl !== baseUrl) known = { baseUrl, catalogue: deps.cache.read(baseUrl) };
    return known.catalogue;
  }
  const fresh = (): boolean => {
    const at = current()?.fetchedAt;
    return at !== undefined && now() - at < ttl && at <= now();
  };

  async function fetchAll(): Promise<boolean> {
    const baseUrl = deps.baseUrl();
    const client = deps.client();
    try {
      const listed = await fetchModelList(client, aborts.signal);
      const before = current();
      const models = await readSchemas(client, listed, before, aborts.signal);
      if (deps.baseUrl() !== baseUrl || stopped) return false;
      const catalogue = { fetchedAt: now(), models };
      deps.cache.write(baseUrl, catalogue);
      known = { baseUrl, catalogue };
      deps.changed?.();
      return true;
    } catch {
      return false; // offline, no key, a garbled list: the last list (or the table) stays in use
    }
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void refresh(), Math.max(0, ms)).unref();
  }

  function refresh(): Promise<boolean> {
    running ??= fetchAll().then((ok) => {
      running = undefined;
      const at = current()?.fetchedAt ?? now();
      schedule(ok ? at + ttl - now() : (deps.retryMs ?? RETRY_MS));
      return ok;
    });
    return running;
  }

  function whenDue(): void {
    const at = current()?.fetchedAt;
    if (fresh() && at !== undefined) schedule(at + ttl - now());
    else void refresh();
  }

  function list(): ModelList {
    const catalogue = current();
    if (!catalogue) return { models: [...MODEL_CATALOGUE], source: 'built-in', stale: true };
    return {
      models: catalogue.models.map(withBuiltIn),
      source: 'live',
      fetchedAt: catalogue.fetchedAt,
      stale: !fresh(),
    };
  }

  return {
    lookup: (id) => modelIn(list().models, id),
    list,
    refresh,
    async ensureFresh(ms) {
      if (!fresh()) await within(ms, refresh());
    },
    start: whenDue,
    wake: whenDue,
    stop() {
      stopped = true;
      clearTimeout(timer);
      aborts.abort();
    },
  };
}

/** A listed model without a schema of its own, as the table knows it (under APIMart's name). */
function withBuiltIn(model: ModelInfo): ModelInfo {
  if (model.source === 'live') return model;
  const table = findModel(model.id);
  if (!table) return model;
  return model.label === model.id ? table : { ...table, label: model.label };
}

/**
 * Each listed model that may make images, with its schema's options. A model whose schema cannot
 * be read now keeps what the last refresh learnt; one APIMart says has no image_generation
 * schema, and that neither the list nor the table says makes images, is left out.
 */
async function readSchemas(
  client: ApimartClient,
  listed: ListedModel[],
  before: LiveCatalogue | undefined,
  signal: AbortSignal,
): Promise<ModelInfo[]> {
  const candidates = listed.filter((model) => model.makesImages !== false).slice(0, MAX_SCHEMAS);
  const found = new Map<string, ModelInfo | null>();
  await mapLimit(candidates, SCHEMA_CONCURRENCY, async (model) => {
    try {
      const schema = await fetchModelSchema(client, model.id, signal);
      found.set(model.id, modelFromSchema(model.id, model.label, schema) ?? listedOnly(model));
    } catch (thrown) {
      const refused = thrown instanceof EngineFailure && isRefusal(thrown.error.code);
      const keep = model.makesImages === true || findModel(model.id) !== undefined;
      const earlier = before?.models.find((entry) => entry.id === model.id);
      found.set(model.id, refused && !keep ? null : (earlier ?? listedOnly(model)));
    }
  });
  return candidates.flatMap((model) => found.get(model.id) ?? []);
}

function isRefusal(code: string): boolean {
  return code === 'rejected' || code === 'not_found' || code === 'invalid_recipe';
}

function listedOnly(model: ListedModel): ModelInfo {
  return {
    id: model.id,
    label: model.label,
    source: 'listed',
    fields: [],
    referenceImages: { min: 0, max: 100 },
  };
}
