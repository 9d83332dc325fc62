// APIMart's JSON Schemas turned into the options every recipe form and check reads
// (main/engine/models/model-schema.ts): enums, bounds, references, the prompt's length, and
// whatever a server adds that GenQueue does not know, which is ignored and never throws.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRecipe, MODEL_CATALOGUE } from '../../../../main/contract/catalogue.ts';
import { modelFromSchema } from '../../../../main/engine/models/model-schema.ts';
import { LIVE_ONLY_MODEL, modelSchemaReply } from '../../../../main/simulator/catalogue.ts';

function simulatorSchema(id: string): unknown {
  const url = new URL(`http://x/v1/model-schema?model=${id}&operation=image_generation`);
  const reply = modelSchemaReply(url) as { json: { input_schema: unknown } };
  return reply.json.input_schema;
}

describe('modelFromSchema', () => {
  test('enums become choices, bounds limits, defaults and required kept', () => {
    const info = modelFromSchema('m1', 'Model One', {
      type: 'object',
      properties: {
        prompt: { type: 'string', maxLength: 900 },
        size: { type: 'string', enum: ['1:1', '16:9'], default: '1:1', title: 'Aspect' },
        n: { type: 'integer', minimum: 1, maximum: 4 },
        quality: { type: 'string', enum: ['low', 'high'] },
        seed: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 1000 },
        guidance: { type: ['number', 'null'], minimum: 0.5, maximum: 20 },
        watermark: { type: 'boolean', default: false },
        image_urls: { type: 'array', maxItems: 3 },
        mask_url: { type: 'string' },
      },
      required: ['prompt', 'image_urls', 'quality'],
    });
    assert.ok(info);
    assert.equal(info.source, 'live');
    assert.equal(info.promptMax, 900);
    assert.deepEqual(info.referenceImages, { min: 1, max: 3 });
    assert.equal(info.mask, true);
    assert.deepEqual(info.fields, [
      {
        name: 'size',
        type: 'string',
        choices: ['1:1', '16:9'],
        default: '1:1',
        description: 'Aspect',
      },
      { name: 'n', type: 'integer', min: 1, max: 4 },
      { name: 'quality', type: 'string', choices: ['low', 'high'], required: true },
      { name: 'seed', type: 'integer', min: 1, max: 999 },
      { name: 'guidance', type: 'number', min: 0.5, max: 20 },
      { name: 'watermark', type: 'boolean', default: false },
    ]);
    assert.equal(
      checkRecipe({ model: 'm1', prompt: 'p', options: { quality: 'high', seed: 0 } }, 1, info),
      'm1 takes seed from 1 to 999; this job asks for 0.',
    );
    assert.equal(
      checkRecipe({ model: 'm1', prompt: 'p' }, 1, info),
      'm1 needs quality (low or high); this job leaves it out.',
    );
  });

  test('unknown keywords, $ref, anyOf and fields a recipe cannot hold', () => {
    const info = modelFromSchema('m2', 'm2', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      'x-vendor': { anything: [1, 2, 3] },
      properties: {
        size: {
          anyOf: [
            { $ref: '#/$defs/ratios' },
            { type: 'string', pattern: '^\\d+x\\d+$', examples: ['1024x768'] },
          ],
          'x-ui': 'combo',
        },
        style: { $ref: '#/definitions/style' },
        loop: { $ref: '#/definitions/loop' },
        strength: { type: 'number', minimum: 0, maximum: 1, multipleOf: 0.1, deprecated: true },
        metadata: { type: 'object' },
        tags: { type: 'array', items: { type: 'string' } },
        webhook: { type: 'string' },
        'bad name!': { type: 'string' },
        nothing: true,
      },
      $defs: { ratios: { type: 'string', enum: ['1:1', '3:2'] } },
      definitions: { style: { enum: ['a', 'b'] }, loop: { $ref: '#/definitions/loop' } },
    });
    assert.ok(info);
    assert.deepEqual(info.referenceImages, { min: 0, max: 0 });
    assert.deepEqual(info.fields, [
      {
        name: 'size',
        type: 'string',
        choices: ['1:1', '3:2'],
        pattern: '^\\d+x\\d+$',
        example: '1024x768',
      },
      { name: 'style', type: 'string', choices: ['a', 'b'] },
      { name: 'strength', type: 'number', min: 0, max: 1 },
    ]);
    const recipe = { model: 'm2', prompt: 'p' };
    assert.equal(checkRecipe({ ...recipe, size: '640x480' }, 0, info), undefined);
    assert.equal(
      checkRecipe({ ...recipe, size: 'wide' }, 0, info),
      'm2 takes size 1:1, 3:2 or a value like 1024x768; this job asks for wide.',
    );
  });

  test('garbled or hostile schemas give nothing, or only what is usable, never a throw', () => {
    for (const schema of [null, 42, 'schema', [], {}, { properties: [] }, { properties: 'x' }]) {
      assert.equal(modelFromSchema('m', 'm', schema), undefined, JSON.stringify(schema));
    }
    const huge = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`f${i}`, { enum: Array(1000).fill(`v${i}`) }]),
    );
    const info = modelFromSchema('m', 'm', {
      properties: {
        ...huge,
        long: { type: 'string', enum: ['x'.repeat(5000), 'ok'], default: 'x'.repeat(5000) },
        prompt: { maxLength: -3 },
        image_urls: { minItems: 5, maxItems: 2 },
        mixed: { enum: [1, 'a', null, {}, true] },
      },
    });
    assert.ok(info);
    assert.equal(info.fields.length, 64);
    assert.deepEqual(info.fields[0], { name: 'f0', type: 'string', choices: ['v0'] });
    assert.equal(info.promptMax, undefined);
    assert.deepEqual(info.referenceImages, { min: 2, max: 2 });
  });

  test('the simulator’s schemas of the built-in models read back as the built-in entries', () => {
    for (const builtIn of MODEL_CATALOGUE) {
      const live = modelFromSchema(builtIn.id, builtIn.label, simulatorSchema(builtIn.id));
      assert.deepEqual(
        live,
        { ...builtIn, source: 'live' },
        `${builtIn.id} survives the trip through JSON Schema`,
      );
    }
  });

  test('the live-only model of the simulator is fully usable', () => {
    const info = modelFromSchema(LIVE_ONLY_MODEL, 'Live', simulatorSchema(LIVE_ONLY_MODEL));
    assert.ok(info);
    assert.deepEqual(
      info.fields.map((field) => [field.name, field.choices ?? [field.min, field.max]]),
      [
        ['size', ['square_hd', 'portrait_4_3', 'landscape_16_9']],
        ['n', [1, 3]],
        ['style', ['plain', 'neon', 'sepia']],
        ['strength', [0, 1]],
      ],
    );
    assert.deepEqual(info.referenceImages, { min: 1, max: 2 });
    assert.equal(
      checkRecipe({ model: LIVE_ONLY_MODEL, prompt: 'p', size: '16:9' }, 1, info),
      'sim-image-live-1 takes size square_hd, portrait_4_3 or landscape_16_9; this job asks for 16:9.',
    );
  });
});
