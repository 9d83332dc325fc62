// What a model accepts, in one shape whether it came from the built-in table (catalogue.ts) or
// from APIMart's own JSON Schema for it (engine/models/model-schema.ts): its fields with their
// choices and limits, its reference images and its prompt length. The CLI, the engine's checks
// and every recipe form in the window read this shape, so a model GenQueue never heard of works.
import { z } from 'zod';
import { OptionValueSchema, type OptionValue } from './schemas.ts';

export const ModelFieldSchema = z.object({
  /** The request body's own name: size, resolution, n, quality, watermark, … */
  name: z.string().min(1).max(64),
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  /** The values it takes, when the model lists them. */
  choices: z.array(OptionValueSchema).max(500).optional(),
  /** A pattern a value outside the choices may match instead (gpt-image-2's raw sizes). */
  pattern: z.string().max(300).optional(),
  /** One value matching the pattern, to show what it means (1881x836). */
  example: z.string().max(100).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.int().min(0).optional(),
  default: OptionValueSchema.optional(),
  required: z.boolean().optional(),
  /** A few words about it, from the schema's title or description. */
  description: z.string().max(300).optional(),
});
export type ModelField = z.infer<typeof ModelFieldSchema>;

export const ModelInfoSchema = z.object({
  /** Copied exactly: model ids are opaque strings. */
  id: z.string().min(1).max(200),
  label: z.string().min(1).max(200),
  /** live: from APIMart's schema; built-in: from the table; listed: offered, options unknown. */
  source: z.enum(['live', 'built-in', 'listed']),
  /** The body fields a recipe may set besides model, prompt and the images. */
  fields: z.array(ModelFieldSchema).max(64),
  referenceImages: z.object({ min: z.int().min(0), max: z.int().min(0) }),
  promptMax: z.int().min(1).optional(),
  mask: z.boolean().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** Fields a recipe holds under its own keys; every other field is one of its options. */
export const RECIPE_KEYS = ['size', 'resolution', 'n'] as const;
export type RecipeKey = (typeof RECIPE_KEYS)[number];

export function isRecipeKey(name: string): name is RecipeKey {
  return (RECIPE_KEYS as readonly string[]).includes(name);
}

export function fieldOf(info: ModelInfo, name: string): ModelField | undefined {
  return info.fields.find((field) => field.name === name);
}

/** The model's fields beyond size, resolution and n (quality, background, …). */
export function optionFields(info: ModelInfo): ModelField[] {
  return info.fields.filter((field) => !isRecipeKey(field.name));
}

/** How many images one request may ask for: a model without `n` makes exactly one. */
export function imagesPerRequest(info: ModelInfo): { min: number; max: number } {
  const n = fieldOf(info, 'n');
  if (!n) return { min: 1, max: 1 };
  const listed = n.choices?.filter((value): value is number => typeof value === 'number');
  if (listed && listed.length > 0) return { min: Math.min(...listed), max: Math.max(...listed) };
  return { min: Math.max(1, n.min ?? 1), max: Math.max(1, n.max ?? 15) };
}

/** Whether `value` is one the field takes (its type, its choices or pattern, its bounds). */
export function fieldTakes(field: ModelField, value: OptionValue): boolean {
  return valueTrouble(field, value) === undefined;
}

/**
 * What the field takes, in words, when `value` is not among it ("low, medium or high", "from 0 to
 * 100", "as a whole number"); undefined when the value fits.
 */
export function valueTrouble(field: ModelField, value: OptionValue): string | undefined {
  const typed = typeTrouble(field, value);
  if (typed) return typed;
  if (field.choices?.includes(value)) return undefined;
  if ((field.choices?.length ?? 0) > 0 || field.pattern !== undefined) {
    const pattern = field.pattern;
    const matches =
      typeof value === 'string' && pattern !== undefined && patternMatches(pattern, value);
    if (!matches) return allowedText(field);
  }
  if (typeof value === 'number') {
    const { min, max } = field;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      return allowedText(field);
    }
  }
  if (typeof value === 'string' && field.maxLength !== undefined && value.length > field.maxLength)
    return `of at most ${field.maxLength} characters`;
  return undefined;
}

function typeTrouble(field: ModelField, value: OptionValue): string | undefined {
  if (field.type === 'boolean') return typeof value === 'boolean' ? undefined : 'true or false';
  if (field.type === 'string') return typeof value === 'string' ? undefined : 'as text';
  if (typeof value !== 'number')
    return field.type === 'integer' ? 'as a whole number' : 'as a number';
  return field.type === 'integer' && !Number.isInteger(value) ? 'as a whole number' : undefined;
}

/** What a field takes, in words: "low, medium or high", "from 0 to 100", "true or false". */
export function allowedText(field: ModelField): string {
  if (field.type === 'boolean') return 'true or false';
  const listed = (field.choices ?? []).map(String);
  if (field.pattern !== undefined) {
    listed.push(
      field.example ? `a value like ${field.example}` : `a value matching ${field.pattern}`,
    );
  }
  if (listed.length > 0) return oneOf(listed);
  const { min, max } = field;
  if (min !== undefined && max !== undefined)
    return min === max ? `${min}` : `from ${min} to ${max}`;
  if (min !== undefined) return `of at least ${min}`;
  if (max !== undefined) return `of at most ${max}`;
  return field.type === 'string'
    ? 'as text'
    : field.type === 'integer'
      ? 'as a whole number'
      : 'as a number';
}

export function oneOf(values: readonly string[]): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
}

/** A schema's pattern tested safely: one the renderer's RegExp cannot compile matches nothing. */
function patternMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/** What `models.list` answers: the models a recipe may name, and where that knowledge came from. */
export interface ModelList {
  models: ModelInfo[];
  /** live: APIMart's own list as last read; built-in: the table (not read yet, offline, no key). */
  source: 'live' | 'built-in';
  /** ms: when the live list was read. */
  fetchedAt?: number;
  /** The live list is older than its TTL (a refresh is due), or there is none. */
  stale: boolean;
}
