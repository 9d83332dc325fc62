// What each APIMart model accepts, kept as data (APIMART.md §5) because the catalogue changes faster
// than releases. checkRecipe turns a recipe the table says cannot work into one plain sentence before
// any money is spent; a model missing from the table passes unchecked. Shared with the renderer.
import type { Recipe } from './schemas.ts';

export interface ModelInfo {
  id: string;
  label: string;
  /** Accepted `size` values; empty means the model takes no size. */
  sizes: string[];
  /** Accepted `resolution` values; empty means the model takes no resolution. */
  resolutions: string[];
  n: { min: number; max: number };
  referenceImages: { min: number; max: number };
  promptMax?: number;
  mask?: boolean;
}

const RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const QWEN_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'];
// Where a model page only says "yes" for reference images, the bound is the upstream model's own
// (Google and ByteDance both document 14): refusing a job the service would take costs more than
// letting the service refuse it.
const MANY_REFERENCES = 14;

function model(id: string, label: string, rest: Omit<ModelInfo, 'id' | 'label'>): ModelInfo {
  return { id, label, ...rest };
}

const geminiPro = {
  sizes: [...RATIOS, 'auto'],
  resolutions: ['1K', '2K', '4K'],
  n: { min: 1, max: 4 },
  // The older model page said 5; Google's own limit for this model is 14.
  referenceImages: { min: 0, max: MANY_REFERENCES },
  mask: true,
};
const gptImage1 = {
  sizes: ['1:1', '3:2', '2:3'],
  resolutions: [],
  n: { min: 1, max: 4 },
  referenceImages: { min: 0, max: 15 },
};
const gptImage2 = {
  sizes: [...RATIOS, 'auto'],
  resolutions: ['1k', '2k', '4k'],
  referenceImages: { min: 0, max: 16 },
};
const seedream = {
  sizes: [...RATIOS, 'auto'],
  resolutions: ['2K', '4K'],
  n: { min: 1, max: 15 },
  referenceImages: { min: 0, max: MANY_REFERENCES },
};
const fluxKontext = {
  sizes: ['match_input_image', 'auto', ...RATIOS, '9:21'],
  resolutions: [],
  n: { min: 1, max: 1 },
  referenceImages: { min: 1, max: 1 },
};
const flux2 = {
  sizes: RATIOS,
  resolutions: ['1K', '2K'],
  n: { min: 1, max: 1 },
  // The APIMart page lists no reference images; FLUX.2 itself takes up to 10.
  referenceImages: { min: 0, max: 10 },
};
const qwen = {
  sizes: QWEN_RATIOS,
  resolutions: ['1K', '2K'],
  n: { min: 1, max: 6 },
  referenceImages: { min: 0, max: 6 },
  promptMax: 800,
};

export const MODEL_CATALOGUE: readonly ModelInfo[] = [
  model('gemini-3-pro-image-preview', 'Gemini 3 Pro Image', geminiPro),
  model('gemini-3-pro-image-preview-official', 'Gemini 3 Pro Image (official)', geminiPro),
  model('gemini-2.5-flash-image-preview', 'Nano Banana (Gemini 2.5 Flash Image)', {
    sizes: RATIOS,
    resolutions: [],
    n: { min: 1, max: 1 },
    referenceImages: { min: 0, max: MANY_REFERENCES },
    promptMax: 1000,
  }),
  model('gemini-3.1-flash-image-preview', 'Gemini 3.1 Flash Image', {
    sizes: [...RATIOS, '1:4', '4:1', '1:8', '8:1', 'auto'],
    resolutions: ['0.5K', '1K', '2K'],
    n: { min: 1, max: 1 },
    referenceImages: { min: 0, max: MANY_REFERENCES },
  }),
  model('gpt-image-1-official', 'GPT Image 1 (official)', gptImage1),
  model('gpt-image-1.5-official', 'GPT Image 1.5 (official)', gptImage1),
  model('gpt-image-2', 'GPT Image 2', { ...gptImage2, n: { min: 1, max: 1 } }),
  model('gpt-image-2-official', 'GPT Image 2 (official)', { ...gptImage2, n: { min: 1, max: 4 } }),
  // n is 1, 2 or 4: a request for 3 is left to the service to refuse.
  model('gpt-4o-image', 'GPT-4o Image', {
    sizes: ['1:1', '2:3', '3:2'],
    resolutions: [],
    n: { min: 1, max: 4 },
    referenceImages: { min: 0, max: MANY_REFERENCES },
    promptMax: 1000,
  }),
  model('doubao-seedream-4-0', 'Seedream 4.0', seedream),
  model('doubao-seedream-4-5', 'Seedream 4.5', seedream),
  model('doubao-seedream-5-0-lite', 'Seedream 5.0 Lite', seedream),
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

/** The sentence refusing this recipe, or undefined when it fits (or the model is unknown). */
export function checkRecipe(recipe: Recipe, referenceImageCount: number): string | undefined {
  const info = findModel(recipe.model);
  if (!info) return undefined;
  const id = info.id;
  const refs = info.referenceImages;
  if (referenceImageCount < refs.min || referenceImageCount > refs.max) {
    return `${id} takes ${range(refs, 'reference image')}; this job has ${referenceImageCount}.`;
  }
  const n = recipe.n ?? 1;
  if (n < info.n.min || n > info.n.max) {
    return `${id} makes ${range(info.n, 'image')} per request; this job asks for ${n}.`;
  }
  if (recipe.size !== undefined && !info.sizes.includes(recipe.size)) {
    return info.sizes.length === 0
      ? `${id} takes no size; this job asks for ${recipe.size}.`
      : `${id} takes size ${oneOf(info.sizes)}; this job asks for ${recipe.size}.`;
  }
  if (recipe.resolution !== undefined && !info.resolutions.includes(recipe.resolution)) {
    return info.resolutions.length === 0
      ? `${id} takes no resolution; this job asks for ${recipe.resolution}.`
      : `${id} takes resolution ${oneOf(info.resolutions)}; this job asks for ${recipe.resolution}.`;
  }
  if (info.promptMax !== undefined && recipe.prompt.length > info.promptMax) {
    return `${id} takes a prompt of at most ${info.promptMax} characters; this one has ${recipe.prompt.length}.`;
  }
  return undefined;
}

function range(bounds: { min: number; max: number }, noun: string): string {
  const plural = (count: number) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  if (bounds.min === bounds.max)
    return bounds.max === 0 ? `no ${noun}s` : `exactly ${plural(bounds.max)}`;
  if (bounds.min === 0) return `at most ${plural(bounds.max)}`;
  return `${bounds.min} to ${plural(bounds.max)}`;
}

function oneOf(values: string[]): string {
  if (values.length === 1) return values[0]!;
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
}
