// APIMart describes each model's request body as a JSON Schema (GET /v1/model-schema, APIMART.md
// §7). This turns one into the ModelInfo every recipe form and check reads: enums become choices,
// bounds become limits, image_urls the reference-image range, prompt's maxLength the prompt limit.
// Pure and forgiving: keywords it does not know are ignored, and nothing a server sends can throw.
import { ModelInfoSchema, type ModelField, type ModelInfo } from '../../contract/model-info.ts';
import type { OptionValue } from '../../contract/schemas.ts';

type Schema = Record<string, unknown>;

/** Fields that are not a recipe's to set: the model is the recipe's, a webhook needs a public URL. */
const NOT_SETTABLE = new Set(['model', 'webhook', 'callback_url', 'stream']);
/** Fields with rules of their own: the prompt's length, the reference images, the mask. */
const OWN_RULES = new Set(['prompt', 'image_urls', 'mask_url']);
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const MAX_FIELDS = 64;
const MAX_CHOICES = 500;
/** Reference images when the schema sets no maxItems: more than any one job ever has. */
const UNBOUNDED_IMAGES = 100;

/** The ModelInfo for `id` from its input schema, or undefined when the schema says nothing usable. */
export function modelFromSchema(id: string, label: string, schema: unknown): ModelInfo | undefined {
  const root = asSchema(schema);
  const properties = root && asSchema(root.properties);
  if (!root || !properties) return undefined;
  const required = new Set(strings(root.required));
  const info: ModelInfo = {
    id,
    label,
    source: 'live',
    fields: [],
    referenceImages: { min: 0, max: 0 },
  };
  const prompt = resolve(properties.prompt, root);
  const promptMax = integer(prompt?.maxLength);
  if (promptMax !== undefined && promptMax > 0) info.promptMax = promptMax;
  const images = resolve(properties.image_urls, root);
  if (images) info.referenceImages = imageRange(images, required.has('image_urls'));
  if (resolve(properties.mask_url, root)) info.mask = true;
  for (const [name, raw] of Object.entries(properties)) {
    if (info.fields.length >= MAX_FIELDS) break;
    if (OWN_RULES.has(name) || NOT_SETTABLE.has(name) || !NAME.test(name)) continue;
    const property = resolve(raw, root);
    const field = property && fieldFrom(name, property, root, required.has(name));
    if (field) info.fields.push(field);
  }
  const checked = ModelInfoSchema.safeParse(info);
  return checked.success ? checked.data : undefined;
}

/** One body field, or undefined for what a recipe cannot hold (objects, arrays, nulls). */
function fieldFrom(
  name: string,
  own: Schema,
  root: Schema,
  required: boolean,
): ModelField | undefined {
  // anyOf / oneOf of simple branches (an enum, or a pattern for free values) merge into one field.
  const branches = [own, ...[own.anyOf, own.oneOf].flatMap((list) => schemas(list, root))];
  const choices = unique(branches.flatMap(choicesOf)).slice(0, MAX_CHOICES);
  const type = branches.map(typeOf).find((found) => found !== undefined) ?? typeOfValues(choices);
  if (!type) return undefined;
  const typed = choices.filter((value) => fits(type, value));
  const pattern = branches.map((branch) => branch.pattern).find(isText);
  const example = branches
    .flatMap((branch) => strings(branch.examples))
    .find((text) => text.length <= 100);
  const numeric = type === 'integer' || type === 'number';
  const min = numeric ? lowest(branches, type) : undefined;
  const max = numeric ? highest(branches, type) : undefined;
  const maxLength = type === 'string' ? integer(own.maxLength) : undefined;
  const fallback = primitive(own.default);
  const description = [own.title, own.description].find(isText)?.trim().slice(0, 300);
  return {
    name,
    type,
    ...(typed.length > 0 && { choices: typed }),
    ...(pattern !== undefined && pattern.length <= 300 && { pattern }),
    ...(pattern !== undefined && example !== undefined && { example }),
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
    ...(maxLength !== undefined && maxLength >= 0 && { maxLength }),
    ...(fallback !== undefined && fits(type, fallback) && { default: fallback }),
    ...(required && { required: true }),
    ...(description && { description }),
  };
}

function imageRange(property: Schema, required: boolean): { min: number; max: number } {
  const min = Math.max(integer(property.minItems) ?? 0, required ? 1 : 0);
  const max = integer(property.maxItems) ?? UNBOUNDED_IMAGES;
  return { min: Math.min(min, max), max: Math.max(0, max) };
}

type FieldType = ModelField['type'];

function typeOf(schema: Schema): FieldType | undefined {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  for (const type of types) {
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean')
      return type;
  }
  return undefined;
}

function typeOfValues(values: OptionValue[]): FieldType | undefined {
  const first = values[0];
  if (first === undefined) return undefined;
  if (typeof first === 'number')
    return values.every((v) => Number.isInteger(v)) ? 'integer' : 'number';
  return typeof first === 'boolean' ? 'boolean' : 'string';
}

function fits(type: FieldType, value: OptionValue): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  return typeof value === type;
}

function choicesOf(schema: Schema): OptionValue[] {
  const listed = Array.isArray(schema.enum) ? schema.enum : [];
  const values = 'const' in schema ? [...listed, schema.const] : listed;
  return values.map(primitive).filter((value) => value !== undefined);
}

function lowest(branches: Schema[], type: FieldType): number | undefined {
  const bounds = branches.flatMap((branch) => {
    const exclusive = finite(branch.exclusiveMinimum);
    const step = type === 'integer' ? 1 : 0;
    return [finite(branch.minimum), exclusive === undefined ? undefined : exclusive + step];
  });
  const found = bounds.filter((bound) => bound !== undefined);
  return found.length > 0 ? Math.min(...found) : undefined;
}

function highest(branches: Schema[], type: FieldType): number | undefined {
  const bounds = branches.flatMap((branch) => {
    const exclusive = finite(branch.exclusiveMaximum);
    const step = type === 'integer' ? 1 : 0;
    return [finite(branch.maximum), exclusive === undefined ? undefined : exclusive - step];
  });
  const found = bounds.filter((bound) => bound !== undefined);
  return found.length > 0 ? Math.max(...found) : undefined;
}

/** A local `$ref` (#/definitions/…, #/$defs/…) followed a few steps; anything else as it is. */
function resolve(value: unknown, root: Schema, depth = 0): Schema | undefined {
  const schema = asSchema(value);
  if (!schema || typeof schema.$ref !== 'string') return schema;
  if (depth >= 4 || !schema.$ref.startsWith('#/')) return undefined;
  let target: unknown = root;
  for (const part of schema.$ref.slice(2).split('/')) {
    target = asSchema(target)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return resolve(target, root, depth + 1);
}

function schemas(list: unknown, root: Schema): Schema[] {
  if (!Array.isArray(list)) return [];
  const found: Schema[] = [];
  for (const entry of list.slice(0, 20) as unknown[]) {
    const schema = resolve(entry, root);
    if (schema) found.push(schema);
  }
  return found;
}

function asSchema(value: unknown): Schema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Schema)
    : undefined;
}

function primitive(value: unknown): OptionValue | undefined {
  if (typeof value === 'string') return value.length <= 200 ? value : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'boolean' ? value : undefined;
}

function unique(values: OptionValue[]): OptionValue[] {
  return [...new Set(values)];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter(isText) : [];
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function integer(value: unknown): number | undefined {
  const number = finite(value);
  return number !== undefined && Number.isInteger(number) ? number : undefined;
}
