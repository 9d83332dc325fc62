// The model catalogue (main/contract/catalogue.ts) as the client's gate: refusal sentences for
// recipes the table says cannot work, silence for those that fit and for models it does not know.
// Lives beside the client tests because the client is what enforces it before any request.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkRecipe, findModel, MODEL_CATALOGUE } from '../../../../main/contract/catalogue.ts';
import { imagesPerRequest, ModelInfoSchema } from '../../../../main/contract/model-info.ts';

describe('checkRecipe', () => {
  test('the issue’s own example', () => {
    assert.equal(
      checkRecipe({ model: 'flux-kontext-pro', prompt: 'p' }, 3),
      'flux-kontext-pro takes exactly 1 reference image; this job has 3.',
    );
    assert.equal(
      checkRecipe({ model: 'flux-kontext-pro', prompt: 'p' }, 0),
      'flux-kontext-pro takes exactly 1 reference image; this job has 0.',
    );
  });

  test('a recipe that fits passes', () => {
    assert.equal(
      checkRecipe({ model: 'flux-kontext-pro', prompt: 'p', size: 'match_input_image' }, 1),
      undefined,
    );
    assert.equal(
      checkRecipe(
        { model: 'gemini-3-pro-image-preview', prompt: 'p', size: '16:9', resolution: '4K', n: 1 },
        2,
      ),
      undefined,
    );
  });

  test('unknown models pass unchecked', () => {
    assert.equal(
      checkRecipe(
        { model: 'brand-new-model-9', prompt: 'x'.repeat(10_000), n: 15, size: '7:3' },
        40,
      ),
      undefined,
    );
  });

  test('each limit has its sentence', () => {
    assert.equal(
      checkRecipe({ model: 'gpt-image-1-official', prompt: 'p' }, 20),
      'gpt-image-1-official takes at most 15 reference images; this job has 20.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-1-official', prompt: 'p', n: 6 }, 0),
      'gpt-image-1-official makes 1 to 4 images per request; this job asks for 6.',
    );
    assert.equal(
      checkRecipe({ model: 'gemini-2.5-flash-image-preview', prompt: 'p', n: 2 }, 0),
      'gemini-2.5-flash-image-preview makes exactly 1 image per request; this job asks for 2.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-1-official', prompt: 'p', size: '16:9' }, 0),
      'gpt-image-1-official takes size 1:1, 3:2 or 2:3; this job asks for 16:9.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-4o-image', prompt: 'p', resolution: '2K' }, 0),
      'gpt-4o-image takes no resolution; this job asks for 2K.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-2', prompt: 'p', resolution: '2K' }, 0),
      'gpt-image-2 takes resolution 1k, 2k or 4k; this job asks for 2K.',
    );
    assert.equal(
      checkRecipe({ model: 'qwen-image-2.0', prompt: 'x'.repeat(801) }, 0),
      'qwen-image-2.0 takes a prompt of at most 800 characters; this one has 801.',
    );
  });

  test('the drift of APIMART.md §7', () => {
    assert.equal(
      checkRecipe({ model: 'doubao-seedream-5-0-lite', prompt: 'p', resolution: '4K' }, 1),
      'doubao-seedream-5-0-lite takes resolution 2K or 3K; this job asks for 4K.',
    );
    const lite = { model: 'doubao-seedream-5-0-lite', prompt: 'p', resolution: '3K' };
    assert.equal(
      checkRecipe({ ...lite, options: { watermark: false, output_format: 'png' } }, 1),
      undefined,
    );
    assert.equal(
      checkRecipe({ ...lite, options: { watermark: 'no' } }, 1),
      'doubao-seedream-5-0-lite takes watermark true or false; this job asks for no.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-2', prompt: 'p', size: '1881x836' }, 1),
      undefined,
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-2', prompt: 'p', size: '7:5' }, 1),
      'gpt-image-2 takes size 1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9, auto or a value like 1881x836; this job asks for 7:5.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-2', prompt: 'p' }, 16),
      'gpt-image-2 takes at most 15 reference images; this job has 16.',
    );
    const official = { model: 'gpt-image-2-official', prompt: 'p', n: 4 };
    const options = { quality: 'high', background: 'transparent', output_compression: 80 };
    assert.equal(checkRecipe({ ...official, options }, 1), undefined);
    assert.equal(
      checkRecipe({ ...official, options: { output_compression: 120 } }, 1),
      'gpt-image-2-official takes output_compression from 0 to 100; this job asks for 120.',
    );
    assert.equal(
      checkRecipe({ ...official, options: { quality: 'ultra' } }, 1),
      'gpt-image-2-official takes quality auto, low, medium or high; this job asks for ultra.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-image-2', prompt: 'p', options: { quality: 'high' } }, 1),
      'gpt-image-2 takes no quality; this job asks for high.',
    );
    assert.equal(
      checkRecipe({ model: 'gpt-4o-image', prompt: 'p', n: 3 }, 1),
      'gpt-4o-image makes 1, 2 or 4 images per request; this job asks for 3.',
    );
    assert.equal(checkRecipe({ model: 'gpt-4o-image', prompt: 'p', n: 4 }, 1), undefined);
  });

  test('n defaults to 1 when the recipe leaves it out', () => {
    assert.equal(checkRecipe({ model: 'flux-2-pro', prompt: 'p' }, 0), undefined);
  });
});

describe('MODEL_CATALOGUE', () => {
  test('ids are unique and every entry is self-consistent', () => {
    const ids = MODEL_CATALOGUE.map((model) => model.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const model of MODEL_CATALOGUE) {
      const n = imagesPerRequest(model);
      assert.ok(n.min >= 1 && n.min <= n.max, model.id);
      assert.deepEqual(ModelInfoSchema.parse(model), model, model.id);
      assert.ok(
        model.referenceImages.min >= 0 && model.referenceImages.min <= model.referenceImages.max,
        model.id,
      );
      assert.equal(findModel(model.id), model);
    }
  });

  test('covers the models of APIMART.md §5', () => {
    for (const id of [
      'gemini-3-pro-image-preview',
      'gemini-3.1-flash-image-preview',
      'gpt-image-1.5-official',
      'gpt-image-2-official',
      'flux-kontext-max',
      'qwen-image-2.0-pro',
    ]) {
      assert.ok(findModel(id), id);
    }
    assert.equal(findModel('gemini-3-pro-image-preview')?.mask, true);
  });
});
