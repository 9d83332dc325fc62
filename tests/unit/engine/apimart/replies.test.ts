// Every documented shape of APIMart's replies, parsed: create-task `data` as array or object, task
// result `url` as string or array, the flat sketch, failures, balance, and bodies that do not fit.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EngineFailure, type EngineError } from '../../../../main/contract/errors.ts';
import {
  parseBalanceReply,
  parseCreateReply,
  parseTaskReply,
  parseUploadReply,
} from '../../../../main/engine/apimart/replies.ts';

function thrown(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof EngineFailure);
    return error.error;
  }
  assert.fail('expected a throw');
}

const task = (data: Record<string, unknown>) => JSON.stringify({ code: 200, data });

describe('parseUploadReply', () => {
  test('reads url and bytes', () => {
    const text = JSON.stringify({
      url: 'https://cdn.apimart.ai/u/a.png',
      filename: 'a.png',
      content_type: 'image/png',
      bytes: 123,
      created_at: 1_700_000_000,
    });
    assert.deepEqual(parseUploadReply(text), { url: 'https://cdn.apimart.ai/u/a.png', bytes: 123 });
  });

  test('a reply with no usable url is bad_response', () => {
    assert.equal(thrown(() => parseUploadReply('{"url":"ftp://x/y"}')).code, 'bad_response');
    assert.equal(thrown(() => parseUploadReply('{"bytes":1}')).code, 'bad_response');
  });

  test('an error body inside a 200 is classified like its code', () => {
    const error = thrown(() =>
      parseUploadReply(JSON.stringify({ code: 401, error: { message: 'invalid api key' } })),
    );
    assert.equal(error.code, 'auth');
  });
});

describe('parseCreateReply', () => {
  test('data as an array of { status, task_id }', () => {
    assert.deepEqual(
      parseCreateReply('{"code":200,"data":[{"status":"submitted","task_id":"task_01A"}]}'),
      { taskId: 'task_01A' },
    );
  });

  test('the 2026 shape: data { object: generation.task, id, status } beside request_id', () => {
    const reply = {
      request_id: 'req_1',
      data: { object: 'generation.task', id: 'task_01C', status: 'submitted' },
    };
    assert.deepEqual(parseCreateReply(JSON.stringify(reply)), { taskId: 'task_01C' });
  });

  test('a synchronous generation.result: its images, no task to poll', () => {
    const images = [
      { url: 'https://r/a.png', expires_at: 2_000_000_000 },
      { url: 'https://r/b.png' },
    ];
    const data = {
      object: 'generation.result',
      id: 'res_1',
      status: 'completed',
      result: { images },
    };
    assert.deepEqual(parseCreateReply(JSON.stringify({ request_id: 'r', data })), {
      taskId: 'res_1',
      images: [
        { url: 'https://r/a.png', expiresAt: 2_000_000_000_000 },
        { url: 'https://r/b.png' },
      ],
    });
    const empty = {
      request_id: 'r',
      data: { object: 'generation.result', id: 'x', result: { images: [] } },
    };
    assert.equal(thrown(() => parseCreateReply(JSON.stringify(empty))).code, 'bad_response');
  });

  test('data as an object { id, status, progress }', () => {
    assert.deepEqual(
      parseCreateReply('{"code":200,"data":{"id":"task_01B","status":"submitted","progress":0}}'),
      { taskId: 'task_01B' },
    );
  });

  test('no task id is bad_response', () => {
    assert.equal(thrown(() => parseCreateReply('{"code":200,"data":[]}')).code, 'bad_response');
    assert.equal(
      thrown(() => parseCreateReply('{"code":200,"data":[{"task_id":""}]}')).code,
      'bad_response',
    );
  });

  test('a non-200 code in the body is its error', () => {
    assert.equal(
      thrown(() => parseCreateReply('{"code":402,"message":"insufficient balance"}')).code,
      'balance',
    );
    assert.equal(thrown(() => parseCreateReply('{"code":500,"message":"busy"}')).code, 'server');
  });
});

describe('parseTaskReply', () => {
  test('pending with progress and estimated time, no result yet', () => {
    const state = parseTaskReply(
      task({ id: 't', status: 'pending', progress: 0, created: 1, estimated_time: 12 }),
    );
    assert.deepEqual(state, { status: 'pending', images: [], progress: 0, estimatedSeconds: 12 });
  });

  test('completed, url as a string, expires_at in seconds becomes ms', () => {
    const state = parseTaskReply(
      task({
        id: 't',
        status: 'completed',
        progress: 100,
        result: { images: [{ url: 'https://r/1.png', expires_at: 1_800_000_000 }] },
      }),
    );
    assert.deepEqual(state.images, [{ url: 'https://r/1.png', expiresAt: 1_800_000_000_000 }]);
  });

  test('completed, url as an array, each entry flattened', () => {
    const state = parseTaskReply(
      task({
        status: 'completed',
        result: {
          images: [
            { url: ['https://r/1.png', 'https://r/2.png'], expires_at: 1_800_000_000 },
            { url: 'https://r/3.png' },
          ],
        },
      }),
    );
    assert.deepEqual(
      state.images.map((image) => image.url),
      ['https://r/1.png', 'https://r/2.png', 'https://r/3.png'],
    );
    assert.equal(state.images[2]!.expiresAt, undefined);
  });

  test('the flat sketch { status, url, fail_reason } is read too', () => {
    assert.deepEqual(parseTaskReply('{"status":"completed","url":"https://r/x.png"}').images, [
      { url: 'https://r/x.png' },
    ]);
    const failed = parseTaskReply('{"status":"failed","fail_reason":"nsfw content"}');
    assert.equal(failed.error?.message, 'APIMart could not make the image: "nsfw content".');
  });

  test("the server's own final full stop is not doubled after the quote", () => {
    const failed = parseTaskReply('{"status":"failed","fail_reason":"Content policy violation."}');
    assert.equal(
      failed.error?.message,
      'APIMart could not make the image: "Content policy violation".',
    );
  });

  test('failed carries the server’s message as task_failed', () => {
    const state = parseTaskReply(
      task({ status: 'failed', error: { message: 'content policy violation' } }),
    );
    assert.equal(state.status, 'failed');
    assert.deepEqual(state.error, {
      code: 'task_failed',
      message: 'APIMart could not make the image: "content policy violation".',
      retryable: false,
      detail: 'content policy violation',
    });
  });

  test('failed without a reason, and cancelled, still explain themselves', () => {
    assert.equal(
      parseTaskReply(task({ status: 'failed' })).error?.message,
      'APIMart could not make the image and did not say why.',
    );
    const cancelled = parseTaskReply(task({ status: 'cancelled' }));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.error?.code, 'task_failed');
  });

  test('a task that failed for money pauses the queue', () => {
    const state = parseTaskReply(
      task({ status: 'failed', error: { message: 'insufficient balance' } }),
    );
    assert.deepEqual([state.error?.code, state.error?.pause], ['balance', 'balance']);
  });

  test('progress is clamped to 0..100', () => {
    assert.equal(parseTaskReply(task({ status: 'processing', progress: 140 })).progress, 100);
    assert.equal(parseTaskReply(task({ status: 'processing', progress: '35' })).progress, 35);
  });

  test('an unknown status word is unfinished; no status, or completed with no image, is bad_response', () => {
    assert.equal(parseTaskReply(task({ status: 'warming_up' })).status, 'processing');
    assert.equal(parseTaskReply(task({ status: 'in_progress' })).status, 'processing');
    assert.equal(parseTaskReply(task({ status: 'submitted' })).status, 'pending');
    assert.equal(thrown(() => parseTaskReply(task({ status: null }))).code, 'bad_response');
    assert.equal(
      thrown(() => parseTaskReply(task({ status: 'completed', result: { images: [] } }))).code,
      'bad_response',
    );
  });

  test('an unknown id answered with an error body is rejected', () => {
    const error = thrown(() =>
      parseTaskReply('{"error":{"message":"task not found","type":"invalid_request_error"}}'),
    );
    assert.equal(error.code, 'rejected');
  });
});

describe('parseBalanceReply', () => {
  test('figures, and -1 as unlimited', () => {
    assert.deepEqual(
      parseBalanceReply(
        '{"success":true,"remain_balance":4.5,"used_balance":1,"unlimited_quota":false}',
      ),
      {
        remaining: 4.5,
        used: 1,
        unlimited: false,
      },
    );
    assert.deepEqual(parseBalanceReply('{"success":true,"remain_balance":-1,"used_balance":9}'), {
      remaining: null,
      used: 9,
      unlimited: true,
    });
  });

  test('success:false in a 200 is refused with its message, and is not a money pause', () => {
    const error = thrown(() =>
      parseBalanceReply('{"success":false,"message":"failed to query balance"}'),
    );
    assert.equal(error.code, 'rejected');
    assert.equal(error.message, 'APIMart could not report the balance: "failed to query balance".');
  });

  test('no figures at all is bad_response', () => {
    assert.equal(thrown(() => parseBalanceReply('{"success":true}')).code, 'bad_response');
  });
});

describe('bodies that are not JSON', () => {
  test('an HTML page and plain text say which they were', () => {
    assert.match(
      thrown(() => parseTaskReply('<html><body>Captive portal</body></html>')).message,
      /an HTML page/,
    );
    assert.match(thrown(() => parseCreateReply('ok')).message, /text that is not JSON/);
    assert.equal(thrown(() => parseBalanceReply('[1,2]')).code, 'bad_response');
  });
});
