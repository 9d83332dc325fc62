// The simulator's models, as APIMart's discovery routes show them (APIMART.md §7): GET /v1/models
// and GET /v1/model-schema, each model's request body as a JSON Schema. The built-in catalogue's
// models are offered with schemas made from it, plus one model GenQueue has never heard of. Bodies
// outside a model's schema are refused as APIMart does: 400, or 500 build_request_failed for sizes.
import { MODEL_CATALOGUE } from '../contract/catalogue.ts';
import type { ModelField, ModelInfo } from '../contract/model-info.ts';
import { ApiError, type Reply } from './replies.ts';

type Schema = Record<string, unknown>;

interface SimModel {
  id: string;
  name: string;
  schema: Schema;
  /** Its upstream turns the size into pixels: a bad one fails there, as an HTTP 500. */
  buildsSizes?: boolean;
}

/** Only the simulator offers it: its sizes, options and schema keywords are its own. */
export const LIVE_ONLY_MODEL = 'sim-image-live-1';

const LIVE_ONLY: SimModel = {
  id: LIVE_ONLY_MODEL,
  name: 'Simulated Live Image 1',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'sim-image-live-1 image_generation input',
    type: 'object',
    'x-apimart-billing': { unit: 'image', credits: 2 },
    properties: {
      prompt: { type: 'string', minLength: 1, maxLength: 2000 },
      size: { $ref: '#/$defs/size' },
      n: { type: 'integer', minimum: 1, maximum: 3, default: 1 },
      style: {
        type: 'string',
        enum: ['plain', 'neon', 'sepia'],
        default: 'plain',
        description: 'The look of the result',
        'x-ui-widget': 'radio',
      },
      strength: { type: 'number', minimum: 0, maximum: 1, multipleOf: 0.05, default: 0.6 },
      image_urls: {
        type: 'array',
        items: { type: 'string', format: 'uri' },
        minItems: 1,
        maxItems: 2,
        uniqueItems: true,
      },
      webhook: { type: 'string', format: 'uri' },
      metadata: { type: 'object', additionalProperties: { type: 'string' } },
    },
    required: ['prompt', 'image_urls'],
    additionalProperties: false,
    $defs: {
      size: {
        type: 'string',
        enum: ['square_hd', 'portrait_4_3', 'landscape_16_9'],
        default: 'square_hd',
        $comment: 'named sizes, not ratios',
      },
    },
  },
};

const MODELS: readonly SimModel[] = [
  ...MODEL_CATALOGUE.map((info) => ({
    id: info.id,
    name: info.label,
    schema: schemaOf(info),
    buildsSizes: info.id.startsWith('gpt-image-2'),
  })),
  LIVE_ONLY,
];

/** GET /v1/models: every model, as APIMart lists them. */
export function modelsReply(now: number): Reply {
  const created = Math.floor(now / 1000);
  const data = MODELS.map((model) => ({
    id: model.id,
    object: 'model',
    name: model.name,
    owned_by: 'apimart-simulator',
    type: 'image_generation',
    created,
  }));
  return { status: 200, json: { object: 'list', data } };
}

/** GET /v1/model-schema?model=…&operation=image_generation */
export function modelSchemaReply(url: URL): Reply {
  const id = url.searchParams.get('model');
  const operation = url.searchParams.get('operation') ?? 'image_generation';
  if (!id) throw bad('model is required');
  const model = MODELS.find((entry) => entry.id === id);
  if (!model) throw new ApiError(404, 'invalid_request_error', `model ${id} not found`);
  if (operation !== 'image_generation') {
    throw bad(`model ${id} does not support operation ${operation}`);
  }
  return { status: 200, json: { model: id, operation, input_schema: model.schema } };
}

/** Whether the simulator holds a schema for this model (then the schema decides its sizes). */
export function hasSchema(id: unknown): boolean {
  return MODELS.some((model) => model.id === id);
}

/**
 * Throws the error APIMart answers a body outside its model's schema with; a model the simulator
 * has no schema for is let through (the older checks in tasks.ts apply).
 */
export function refuseOutsideSchema(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const fields = body as Record<string, unknown>;
  const model = MODELS.find((entry) => entry.id === fields.model);
  if (!model) return;
  const properties = model.schema.properties as Record<string, Schema>;
  for (const name of (model.schema.required as string[]) ?? []) {
    if (fields[name] === undefined) throw bad(`${name} is required for model ${model.id}`);
  }
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'model') continue;
    const property = properties[name];
    if (!property) throw bad(`unknown parameter ${name} for model ${model.id}`);
    const trouble = troubleWith(resolve(property, model.schema), value);
    if (trouble === undefined) continue;
    if (name === 'size' && model.buildsSizes) {
      const message = `failed to build request: invalid size ${JSON.stringify(value)} for model ${model.id}`;
      throw new ApiError(500, 'server_error', message, {}, 'build_request_failed');
    }
    throw bad(`invalid ${name} ${JSON.stringify(value)} for model ${model.id}: ${trouble}`);
  }
}

/** What is wrong with a value under the keywords the simulator's schemas use, or undefined. */
function troubleWith(schema: Schema, value: unknown): string | undefined {
  const options = Array.isArray(schema.anyOf) ? (schema.anyOf as Schema[]) : undefined;
  if (options && options.every((option) => troubleWith(option, value) !== undefined)) {
    return 'matches none of the allowed forms';
  }
  const type = schema.type;
  if (type === 'integer' && !Number.isInteger(value)) return 'must be an integer';
  if (type === 'number' && typeof value !== 'number') return 'must be a number';
  if (type === 'string' && typeof value !== 'string') return 'must be a string';
  if (type === 'boolean' && typeof value !== 'boolean') return 'must be true or false';
  if (type === 'array' && !Array.isArray(value)) return 'must be an array';
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return `must be one of ${schema.enum.join(', ')}`;
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(String(value))) {
    return `must match ${schema.pattern}`;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      return `must be at least ${schema.minimum}`;
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      return `must be at most ${schema.maximum}`;
  }
  if (typeof value === 'string' && typeof schema.maxLength === 'number') {
    if (value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      return `needs at least ${schema.minItems} items`;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      return `takes at most ${schema.maxItems} items`;
  }
  return undefined;
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return schema;
  return ((root.$defs as Record<string, Schema>)[ref.slice('#/$defs/'.length)] ?? {}) as Schema;
}

/** A built-in catalogue entry as the JSON Schema APIMart would publish for it. */
function schemaOf(info: ModelInfo): Schema {
  const properties: Record<string, Schema> = {
    prompt: { type: 'string', minLength: 1, ...(info.promptMax && { maxLength: info.promptMax }) },
    image_urls: {
      type: 'array',
      items: { type: 'string', format: 'uri' },
      minItems: info.referenceImages.min,
      maxItems: info.referenceImages.max,
    },
    ...(info.mask && { mask_url: { type: 'string', format: 'uri' } }),
  };
  for (const field of info.fields) properties[field.name] = propertyOf(field);
  const required = ['prompt', ...(info.referenceImages.min > 0 ? ['image_urls'] : [])];
  return { type: 'object', properties, required, additionalProperties: false };
}

function propertyOf(field: ModelField): Schema {
  const own: Schema = {
    type: field.type,
    ...(field.min !== undefined && { minimum: field.min }),
    ...(field.max !== undefined && { maximum: field.max }),
    ...(field.default !== undefined && { default: field.default }),
  };
  if (field.pattern === undefined) return { ...own, ...(field.choices && { enum: field.choices }) };
  // Listed values, or any value of the pattern: how raw pixel sizes sit beside the ratios.
  return {
    ...own,
    anyOf: [
      { enum: field.choices ?? [] },
      { pattern: field.pattern, ...(field.example && { examples: [field.example] }) },
    ],
  };
}

function bad(message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', message);
}
