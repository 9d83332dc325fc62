// The model catalogue (main/contract/catalogue.ts) as the client's gate: refusal sentences for
// recipes the table says cannot work, silence for those that fit and for models it does not know.
// Lives beside the client tests because the client is what enforces it before any request.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkRecipe, findModel, MODEL_CATALOGUE } from '../../../../main/contract/catalogue.ts';

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

  test('n defaults to 1 when the recipe leaves it out', () => {
    assert.equal(checkRecipe({ model: 'flux-2-pro', prompt: 'p' }, 0), undefined);
  });
});

describe('MODEL_CATALOGUE', () => {
  test('ids are unique and every entry is self-consistent', () => {
    const ids = MODEL_CATALOGUE.map((model) => model.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const model of MODEL_CATALOGUE) {
      assert.ok(model.n.min >= 1 && model.n.min <= model.n.max, model.id);
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
