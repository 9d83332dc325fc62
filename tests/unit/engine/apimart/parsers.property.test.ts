// Property test: random, truncated and shape-shifted bodies fed to every parser and to the reply
// classifier. Each must return a value or throw an EngineFailure with a valid EngineError; no
// parser may ever throw anything untyped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EngineErrorSchema, EngineFailure } from '../../../../main/contract/errors.ts';
import { errorFromReply } from '../../../../main/engine/apimart/error-model.ts';
import {
  parseBalanceReply,
  parseCreateReply,
  parseTaskReply,
  parseUploadReply,
} from '../../../../main/engine/apimart/replies.ts';

const PARSERS: Record<string, (text: string) => unknown> = {
  upload: parseUploadReply,
  create: parseCreateReply,
  task: parseTaskReply,
  balance: parseBalanceReply,
};

const REAL_BODIES = [
  '{"url":"https://cdn.apimart.ai/u/a.png","filename":"a.png","content_type":"image/png","bytes":5,"created_at":1700000000}',
  '{"code":200,"data":[{"status":"submitted","task_id":"task_01"}]}',
  '{"code":200,"data":{"id":"task_01","status":"submitted","progress":0}}',
  '{"code":200,"data":{"id":"t","status":"completed","progress":100,"result":{"images":[{"url":["https://r/1.png"],"expires_at":1800000000}]}}}',
  '{"code":200,"data":{"id":"t","status":"failed","error":{"message":"policy"}}}',
  '{"success":true,"remain_balance":3,"used_balance":1,"unlimited_quota":false}',
  '{"error":{"message":"invalid api key","type":"authentication_error"}}',
  '<html><head><title>502 Bad Gateway</title></head></html>',
];

/** JSON values shaped loosely like APIMart's: the keys parsers look at, with values of any type. */
const loose = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      null,
      true,
      false,
      -1,
      0,
      100,
      1e300,
      '',
      'completed',
      'failed',
      'https://r/x.png',
      'http://',
    ),
    fc.string(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(
    fc.constantFrom(
      'code',
      'data',
      'status',
      'url',
      'result',
      'images',
      'error',
      'message',
      'task_id',
      'id',
      'progress',
      'expires_at',
      'success',
      'remain_balance',
      'used_balance',
      'bytes',
      'fail_reason',
    ),
    tie('value'),
    { maxKeys: 6 },
  ),
}));

const bodies = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  loose.value.map((value) => JSON.stringify(value) ?? 'null'),
  fc
    .tuple(fc.constantFrom(...REAL_BODIES), fc.nat())
    .map(([body, cut]) => body.slice(0, cut % (body.length + 1))),
);

function assertTyped(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof EngineFailure, `untyped throw: ${String(error)}`);
    assert.ok(EngineErrorSchema.safeParse(error.error).success, JSON.stringify(error.error));
  }
}

for (const [name, parse] of Object.entries(PARSERS)) {
  test(`the ${name} parser only ever returns or throws an EngineFailure`, () => {
    fc.assert(
      fc.property(bodies, (body) => assertTyped(() => parse(body))),
      { numRuns: 1000 },
    );
  });
}

test('errorFromReply gives a valid EngineError for any status, header and body', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100, max: 599 }),
      fc.option(fc.string()),
      bodies,
      (status, retryAfter, body) => {
        const headers = retryAfter === null ? {} : { 'retry-after': retryAfter };
        const error = errorFromReply({ status, headers, body });
        assert.ok(EngineErrorSchema.safeParse(error).success, JSON.stringify(error));
        if (status >= 500 && error.code !== 'balance') assert.equal(error.retryable, true);
      },
    ),
    { numRuns: 1000 },
  );
});

test('a parsed task always has a known status and http(s) image urls', () => {
  fc.assert(
    fc.property(bodies, (body) => {
      let state;
      try {
        state = parseTaskReply(body);
      } catch {
        return;
      }
      assert.ok(
        ['pending', 'processing', 'completed', 'failed', 'cancelled'].includes(state.status),
      );
      for (const image of state.images) assert.match(image.url, /^https?:/);
      if (state.progress !== undefined) assert.ok(state.progress >= 0 && state.progress <= 100);
    }),
    { numRuns: 1000 },
  );
});
