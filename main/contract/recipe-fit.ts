// Whether a recipe fits what its model accepts (model-info.ts), said in one sentence that names
// the field, the value and what is allowed. The CLI refuses with it (exit 2), the engine refuses
// queueing with it, and the window's forms show it; a model nobody knows anything of is not judged.
import {
  allowedText,
  fieldOf,
  imagesPerRequest,
  oneOf,
  valueTrouble,
  type ModelField,
  type ModelInfo,
} from './model-info.ts';
import type { OptionValue, Recipe } from './schemas.ts';

type Checked = Pick<Recipe, 'model' | 'prompt' | 'size' | 'resolution' | 'n' | 'options'>;

/** The sentence refusing this recipe for a job with `referenceImageCount` images, or undefined. */
export function recipeRefusal(
  recipe: Checked,
  referenceImageCount: number,
  info: ModelInfo | undefined,
): string | undefined {
  if (!info || info.source === 'listed') return undefined;
  const id = info.id;
  const refs = info.referenceImages;
  if (referenceImageCount < refs.min || referenceImageCount > refs.max) {
    return `${id} takes ${range(refs, 'reference image')}; this job has ${referenceImageCount}.`;
  }
  return (
    countRefusal(info, recipe.n ?? 1) ??
    fieldRefusal(info, 'size', recipe.size) ??
    fieldRefusal(info, 'resolution', recipe.resolution) ??
    Object.entries(recipe.options ?? {})
      .map(([name, value]) => fieldRefusal(info, name, value))
      .find((refusal) => refusal !== undefined) ??
    missingRefusal(info, recipe) ??
    promptRefusal(info, recipe.prompt)
  );
}

/**
 * The recipe as the model takes it (its options typed by the model's fields) and, when the model
 * cannot take it, the sentence saying so: how the engine, the CLI and the window all judge one.
 */
export function fitToModel<R extends Checked>(
  recipe: R,
  info: ModelInfo | undefined,
  referenceImageCount = 1,
): { recipe: R; refusal?: string } {
  const options = typedOptions(recipe.options, info);
  const typed = options === undefined ? recipe : { ...recipe, options };
  const refusal = recipeRefusal(typed, referenceImageCount, info);
  return refusal === undefined ? { recipe: typed } : { recipe: typed, refusal };
}

/**
 * The recipe's options as the model's fields type them: "true" for a yes/no field becomes true,
 * "80" for a number becomes 80 (the command line passes every value as text). Others unchanged.
 */
export function typedOptions(
  options: Recipe['options'],
  info: ModelInfo | undefined,
): Recipe['options'] {
  if (!options || !info) return options;
  const typed = Object.entries(options).map(([name, value]): [string, OptionValue] => {
    const field = fieldOf(info, name);
    return [name, field && typeof value === 'string' ? typedValue(field, value) : value];
  });
  return Object.fromEntries(typed);
}

function typedValue(field: ModelField, text: string): OptionValue {
  if (field.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  const isNumber = field.type === 'integer' || field.type === 'number';
  if (isNumber && /^-?\d+(?:\.\d+)?$/.test(text.trim())) return Number(text);
  return text;
}

function countRefusal(info: ModelInfo, n: number): string | undefined {
  const field = fieldOf(info, 'n');
  const trouble = field ? valueTrouble(field, n) : n === 1 ? undefined : 'only one';
  if (trouble === undefined) return undefined;
  const numbers = field?.choices?.filter((value) => typeof value === 'number') ?? [];
  const makes =
    numbers.length > 1
      ? `${oneOf(numbers.map(String))} images`
      : range(imagesPerRequest(info), 'image');
  return `${info.id} makes ${makes} per request; this job asks for ${n}.`;
}

function fieldRefusal(
  info: ModelInfo,
  name: string,
  value: OptionValue | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  const field = fieldOf(info, name);
  const asks = `this job asks for ${String(value)}.`;
  if (!field) return `${info.id} takes no ${name}; ${asks}`;
  const trouble = valueTrouble(field, value);
  return trouble === undefined ? undefined : `${info.id} takes ${name} ${trouble}; ${asks}`;
}

/** A field the model requires, that has no default and that the recipe leaves out. */
function missingRefusal(info: ModelInfo, recipe: Checked): string | undefined {
  const set = (name: string): boolean =>
    name === 'n' ||
    (name === 'size' && recipe.size !== undefined) ||
    (name === 'resolution' && recipe.resolution !== undefined) ||
    recipe.options?.[name] !== undefined;
  const missing = info.fields.find(
    (field) => field.required && field.default === undefined && !set(field.name),
  );
  if (!missing) return undefined;
  return `${info.id} needs ${missing.name} (${allowedText(missing)}); this job leaves it out.`;
}

function promptRefusal(info: ModelInfo, prompt: string): string | undefined {
  if (info.promptMax === undefined || prompt.length <= info.promptMax) return undefined;
  return `${info.id} takes a prompt of at most ${info.promptMax} characters; this one has ${prompt.length}.`;
}

function range(bounds: { min: number; max: number }, noun: string): string {
  const plural = (count: number) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  if (bounds.min === bounds.max)
    return bounds.max === 0 ? `no ${noun}s` : `exactly ${plural(bounds.max)}`;
  if (bounds.min === 0) return `at most ${plural(bounds.max)}`;
  return `${bounds.min} to ${plural(bounds.max)}`;
}
