// What each APIMart model accepts when APIMart's own schemas cannot be had (offline, no key yet),
// kept as data (APIMART.md §5, with the drift noted in §7) because the catalogue changes faster
// than releases. The live catalogue (engine/models/) replaces it entry by entry whenever APIMart
// answers. checkRecipe judges a recipe by it unless told which entry to use. Shared with the renderer.
import type { ModelField, ModelInfo } from './model-info.ts';
import { recipeRefusal } from './recipe-fit.ts';
import type { Recipe } from './schemas.ts';

export type { ModelField, ModelInfo } from './model-info.ts';

const RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const QWEN_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'];
// Where a model page only says "yes" for reference images, the bound is the upstream model's own
// (Google and ByteDance both document 14): refusing a job the service would take costs more than
// letting the service refuse it.
const MANY_REFERENCES = 14;

const size = (choices: string[], extra: Partial<ModelField> = {}): ModelField => ({
  name: 'size',
  type: 'string',
  choices,
  ...extra,
});
const resolution = (choices: string[]): ModelField => ({
  name: 'resolution',
  type: 'string',
  choices,
});
const count = (max: number): ModelField => ({
  name: 'n',
  type: 'integer',
  min: 1,
  max,
  default: 1,
});
const pick = (name: string, choices: string[]): ModelField => ({ name, type: 'string', choices });
const refs = (max: number, min = 0) => ({ min, max });

type Entry = Omit<ModelInfo, 'id' | 'label' | 'source'>;

function model(id: string, label: string, rest: Entry): ModelInfo {
  return { id, label, source: 'built-in', ...rest };
}

const geminiPro: Entry = {
  fields: [size([...RATIOS, 'auto']), resolution(['1K', '2K', '4K']), count(4)],
  // The older model page said 5; Google's own limit for this model is 14.
  referenceImages: refs(MANY_REFERENCES),
  mask: true,
};
const gptImage1: Entry = {
  fields: [size(['1:1', '3:2', '2:3']), count(4)],
  referenceImages: refs(15),
};
const gptImage2Sizes = [...RATIOS, 'auto'];
const seedream4: Entry = {
  fields: [size([...RATIOS, 'auto']), resolution(['2K', '4K']), count(15)],
  referenceImages: refs(MANY_REFERENCES),
};
const fluxKontext: Entry = {
  fields: [size(['match_input_image', 'auto', ...RATIOS, '9:21']), count(1)],
  referenceImages: refs(1, 1),
};
const flux2: Entry = {
  fields: [size(RATIOS), resolution(['1K', '2K']), count(1)],
  // The APIMart page lists no reference images; FLUX.2 itself takes up to 10.
  referenceImages: refs(10),
};
const qwen: Entry = {
  fields: [size(QWEN_RATIOS), resolution(['1K', '2K']), count(6)],
  referenceImages: refs(6),
  promptMax: 800,
};

export const MODEL_CATALOGUE: readonly ModelInfo[] = [
  model('gemini-3-pro-image-preview', 'Gemini 3 Pro Image', geminiPro),
  model('gemini-3-pro-image-preview-official', 'Gemini 3 Pro Image (official)', geminiPro),
  model('gemini-2.5-flash-image-preview', 'Nano Banana (Gemini 2.5 Flash Image)', {
    fields: [size(RATIOS), count(1)],
    referenceImages: refs(MANY_REFERENCES),
    promptMax: 1000,
  }),
  model('gemini-3.1-flash-image-preview', 'Gemini 3.1 Flash Image', {
    fields: [
      size([...RATIOS, '1:4', '4:1', '1:8', '8:1', 'auto']),
      resolution(['0.5K', '1K', '2K']),
      count(1),
    ],
    referenceImages: refs(MANY_REFERENCES),
  }),
  // §7: 1K only; its sizes are taken to be the Gemini family's until its schema says otherwise.
  model('gemini-3.1-flash-lite-image', 'Gemini 3.1 Flash Lite Image', {
    fields: [size([...RATIOS, 'auto']), resolution(['1K']), count(1)],
    referenceImages: refs(MANY_REFERENCES),
  }),
  model('gpt-image-1-official', 'GPT Image 1 (official)', gptImage1),
  model('gpt-image-1.5-official', 'GPT Image 1.5 (official)', gptImage1),
  // §7: raw pixel sizes such as 1881x836 besides the ratios, and at most 15 reference images.
  model('gpt-image-2', 'GPT Image 2', {
    fields: [
      size(gptImage2Sizes, { pattern: '^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$', example: '1881x836' }),
      resolution(['1k', '2k', '4k']),
      count(1),
    ],
    referenceImages: refs(15),
  }),
  // §7: the OpenAI options besides size and resolution, up to 4 images, and a mask.
  model('gpt-image-2-official', 'GPT Image 2 (official)', {
    fields: [
      size(gptImage2Sizes),
      resolution(['1k', '2k', '4k']),
      count(4),
      pick('quality', ['auto', 'low', 'medium', 'high']),
      pick('background', ['auto', 'transparent', 'opaque']),
      pick('moderation', ['auto', 'low']),
      pick('output_format', ['png', 'jpeg', 'webp']),
      { name: 'output_compression', type: 'integer', min: 0, max: 100 },
    ],
    referenceImages: refs(16),
    mask: true,
  }),
  // n is 1, 2 or 4.
  model('gpt-4o-image', 'GPT-4o Image', {
    fields: [size(['1:1', '2:3', '3:2']), { name: 'n', type: 'integer', choices: [1, 2, 4] }],
    referenceImages: refs(MANY_REFERENCES),
    promptMax: 1000,
  }),
  model('doubao-seedream-4-0', 'Seedream 4.0', seedream4),
  model('doubao-seedream-4-5', 'Seedream 4.5', seedream4),
  // §7: 2K and 3K (not 4K), with an output format and a watermark switch.
  model('doubao-seedream-5-0-lite', 'Seedream 5.0 Lite', {
    fields: [
      size([...RATIOS, 'auto']),
      resolution(['2K', '3K']),
      count(15),
      pick('output_format', ['jpeg', 'png']),
      { name: 'watermark', type: 'boolean' },
    ],
    referenceImages: refs(MANY_REFERENCES),
  }),
  model('flux-kontext-pro', 'FLUX.1 Kontext Pro', fluxKontext),
  model('flux-kontext-max', 'FLUX.1 Kontext Max', fluxKontext),
  model('flux-2-flex', 'FLUX.2 Flex', flux2),
  model('flux-2-pro', 'FLUX.2 Pro', flux2),
  model('qwen-image-2.0', 'Qwen Image 2.0', qwen),
  model('qwen-image-2.0-pro', 'Qwen Image 2.0 Pro', qwen),
];

export function findModel(id: string): ModelInfo | undefined {
  return MODEL_CATALOGUE.find((entry) => entry.id === id);
}

/**
 * The entry a recipe for `id` is judged by, given the models the engine listed (models.list):
 * theirs when listed, else the table's; undefined for a model known to neither (not judged).
 */
export function modelIn(models: readonly ModelInfo[], id: string): ModelInfo | undefined {
  return models.find((entry) => entry.id === id) ?? findModel(id);
}

/**
 * The sentence refusing this recipe, or undefined when it fits. Judged by `info` (the live entry
 * when the engine has one), else by the built-in table; a model missing from both passes.
 */
export function checkRecipe(
  recipe: Pick<Recipe, 'model' | 'prompt' | 'size' | 'resolution' | 'n' | 'options'>,
  referenceImageCount: number,
  info: ModelInfo | undefined = findModel(recipe.model),
): string | undefined {
  return recipeRefusal(recipe, referenceImageCount, info);
}
