// APIMart's discovery routes (APIMART.md §7), asked with the key: which models it offers
// (GET /v1/models) and one model's request schema (GET /v1/model-schema). Replies are read as
// untrusted: every documented shape is accepted, anything else is a bad_response, never a crash.
import { EngineFailure } from '../../contract/errors.ts';
import type { ApimartClient } from './client.ts';
import { badResponse, isRecord } from './error-model.ts';

export interface ListedModel {
  id: string;
  label: string;
  /** What the entry says about making images: true, false, or undefined when it says nothing. */
  makesImages: boolean | undefined;
}

/** More entries than this are not read: no real catalogue comes near it. */
const MAX_MODELS = 2000;
const OPERATION = 'image_generation';
/** Entry keys that may say what a model does, as APIMart or a proxy in front of it names them. */
const KIND_KEYS = [
  'operations',
  'supported_operations',
  'capabilities',
  'modalities',
  'output_modalities',
  'type',
  'category',
  'task',
  'tasks',
];
/** What a model that makes no images says it does instead. */
const OTHER_KINDS = /chat|text|video|audio|speech|embedding|completion|music/;

export async function fetchModelList(
  client: ApimartClient,
  signal?: AbortSignal,
): Promise<ListedModel[]> {
  return parseModelList(await client.read('/v1/models', {}, { signal }));
}

/** The JSON Schema of the model's image_generation request body (without `model`). */
export async function fetchModelSchema(
  client: ApimartClient,
  id: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const query = { model: id, operation: OPERATION };
  return parseSchemaReply(await client.read('/v1/model-schema', query, { signal }));
}

/** `{ data: [{ id, … }] }` (or the bare list); entries without a usable id are left out. */
export function parseModelList(text: string): ListedModel[] {
  const parsed = parseJson(text, 'model list');
  const list = Array.isArray(parsed) ? parsed : isRecord(parsed) ? parsed.data : undefined;
  if (!Array.isArray(list)) throw unexpected('model list', 'has no list of models');
  const seen = new Set<string>();
  const models: ListedModel[] = [];
  for (const entry of list.slice(0, MAX_MODELS)) {
    const id = isRecord(entry) ? entry.id : entry;
    if (typeof id !== 'string' || id.trim() === '' || id.length > 200 || seen.has(id)) continue;
    seen.add(id);
    const record = isRecord(entry) ? entry : {};
    const name = [record.name, record.display_name, record.title].find(
      (value): value is string => typeof value === 'string' && value.trim() !== '',
    );
    models.push({ id, label: name?.trim().slice(0, 200) ?? id, makesImages: makesImages(record) });
  }
  return models;
}

/** `{ model, operation, input_schema }`, perhaps inside `data`: the input schema. */
export function parseSchemaReply(text: string): unknown {
  const parsed = parseJson(text, 'model schema');
  const reply = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : parsed;
  if (!isRecord(reply) || !isRecord(reply.input_schema)) {
    throw unexpected('model schema', 'has no input_schema');
  }
  return reply.input_schema;
}

function makesImages(entry: Record<string, unknown>): boolean | undefined {
  const said = KIND_KEYS.filter((key) => entry[key] !== undefined);
  if (said.length === 0) return undefined;
  const words = JSON.stringify(said.map((key) => entry[key])).toLowerCase();
  if (words.includes('image')) return true;
  return OTHER_KINDS.test(words) ? false : undefined;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unexpected(what, 'is not JSON');
  }
}

function unexpected(what: string, why: string): EngineFailure {
  return new EngineFailure(badResponse(`APIMart's ${what} ${why}.`));
}
