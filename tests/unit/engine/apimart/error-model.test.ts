// The error model's rules on bodies and thrown errors alone: which status and words make which
// EngineError, how Retry-After is read, and that the key never survives into a message.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EngineFailure, engineError } from '../../../../main/contract/errors.ts';
import {
  errorFromReply,
  errorFromThrown,
  mayHaveReachedService,
  parseRetryAfter,
  redactError,
  serverWords,
} from '../../../../main/engine/apimart/error-model.ts';

const apiError = (message: string, type = 'invalid_request_error') =>
  JSON.stringify({ error: { message, type } });
const reply = (status: number, body: string, headers: Record<string, string> = {}) =>
  errorFromReply({ status, headers, body });

describe('errorFromReply', () => {
  test('400 quotes the server and is final', () => {
    const error = reply(
      400,
      apiError('unsupported image type: text/plain, allowed: jpeg, png, gif, webp'),
    );
    assert.equal(error.code, 'rejected');
    assert.equal(error.retryable, false);
    assert.equal(
      error.message,
      'APIMart refused the request: "unsupported image type: text/plain, allowed: jpeg, png, gif, webp".',
    );
    assert.equal(error.detail, 'unsupported image type: text/plain, allowed: jpeg, png, gif, webp');
  });

  test('a 4xx with no readable message still says what happened', () => {
    const error = reply(404, '');
    assert.equal(error.code, 'rejected');
    assert.equal(error.message, 'APIMart refused the request (HTTP 404) without saying why.');
  });

  test('401 and 403 pause the queue for a key', () => {
    for (const status of [401, 403]) {
      const error = reply(status, apiError('invalid api key', 'authentication_error'));
      assert.deepEqual([error.code, error.retryable, error.pause], ['auth', false, 'auth']);
      assert.match(error.message, /"invalid api key"/);
    }
  });

  test('402, or any status whose words speak of balance or quota, pauses for money', () => {
    const cases = [
      reply(402, ''),
      reply(400, apiError('Insufficient balance, please recharge')),
      reply(403, apiError('You exceeded your current quota')),
      reply(429, apiError('no money left', 'insufficient_quota')),
      reply(500, JSON.stringify({ message: 'account balance too low' })),
    ];
    for (const error of cases)
      assert.deepEqual([error.code, error.retryable, error.pause], ['balance', false, 'balance']);
  });

  test('a 429 that carries Retry-After is a rate window even if it says "quota"', () => {
    const error = reply(429, apiError('per-minute request quota reached', 'rate_limit_error'), {
      'retry-after': '3',
    });
    assert.deepEqual(
      [error.code, error.retryable, error.retryAfterMs],
      ['rate_limited', true, 3000],
    );
  });

  test('429 reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const seconds = errorFromReply(
      { status: 429, headers: { 'retry-after': '12' }, body: '' },
      now,
    );
    assert.equal(seconds.retryAfterMs, 12_000);
    const date = errorFromReply(
      { status: 429, headers: { 'retry-after': 'Tue, 01 Jan 2030 00:00:30 GMT' }, body: '' },
      now,
    );
    assert.equal(date.retryAfterMs, 30_000);
    const none = reply(429, apiError('slow down', 'rate_limit_error'));
    assert.equal(none.code, 'rate_limited');
    assert.equal(none.retryAfterMs, undefined);
    assert.ok(!('retryAfterMs' in none));
  });

  test('413 keeps the server’s message in detail', () => {
    const error = reply(413, apiError('file size 22020096 exceeds maximum 20971520 bytes'));
    assert.deepEqual([error.code, error.retryable], ['too_large', false]);
    assert.equal(error.detail, 'file size 22020096 exceeds maximum 20971520 bytes');
  });

  test('5xx JSON and a proxy’s HTML page are retryable server errors', () => {
    const json = reply(500, apiError('failed to upload image', 'server_error'));
    assert.deepEqual([json.code, json.retryable], ['server', true]);
    assert.equal(
      json.message,
      'APIMart\'s server had a problem (HTTP 500): "failed to upload image".',
    );
    const page =
      '<html>\r\n<head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
    const html = reply(502, page);
    assert.deepEqual([html.code, html.retryable], ['server', true]);
    assert.equal(
      html.message,
      'APIMart\'s server had a problem (HTTP 502, an error page from a proxy): "502 Bad Gateway".',
    );
  });

  test('a 500 build_request_failed refuses the recipe: final, never waited out as a server error', () => {
    const body = JSON.stringify({
      error: {
        code: 'build_request_failed',
        message: 'failed to build request: invalid size "7:5" for model gpt-image-2',
      },
    });
    const error = reply(500, body);
    assert.equal(error.code, 'invalid_recipe');
    assert.equal(error.retryable, false);
    assert.equal(error.pause, undefined);
    assert.equal(
      error.message,
      'APIMart refused the recipe: "failed to build request: invalid size "7:5" for model gpt-image-2".',
    );
    assert.equal(error.detail, 'build_request_failed');
    // By the words alone too, and without a message by the code alone.
    assert.equal(reply(500, apiError('invalid size 1x1', 'server_error')).code, 'invalid_recipe');
    const bare = reply(502, JSON.stringify({ error: { code: 'build_request_failed' } }));
    assert.equal(bare.code, 'invalid_recipe');
    assert.equal(bare.message, 'APIMart refused the recipe: "build_request_failed".');
    // Other 500s stay retryable server errors.
    for (const words of [
      'internal server error',
      'size of the queue exceeded',
      'invalid upstream',
    ]) {
      const other = reply(500, apiError(words, 'server_error'));
      assert.equal(other.code, 'server', words);
      assert.equal(other.retryable, true, words);
    }
  });

  test('an unexpected status outside 4xx/5xx is a retryable bad_response', () => {
    const error = reply(302, '');
    assert.deepEqual([error.code, error.retryable], ['bad_response', true]);
  });
});

describe('serverWords', () => {
  test('reads every place a message hides', () => {
    assert.equal(serverWords(apiError('a')).message, 'a');
    assert.equal(serverWords('{"message":"b"}').message, 'b');
    assert.equal(serverWords('{"msg":"c"}').message, 'c');
    assert.equal(serverWords('{"error":"d"}').message, 'd');
    assert.equal(serverWords('{"fail_reason":"e"}').message, 'e');
    assert.equal(serverWords('plain words\n  on lines').message, 'plain words on lines');
    assert.equal(serverWords('<!DOCTYPE html><html><h1>Oops</h1></html>').message, 'Oops');
    assert.equal(serverWords('<!DOCTYPE html><html><h1>Oops</h1></html>').html, true);
    assert.deepEqual(serverWords(''), { html: false });
  });
});

describe('parseRetryAfter', () => {
  test('ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter('-5'), undefined);
    assert.equal(parseRetryAfter('1.5'), undefined);
  });

  test('a date in the past means no wait', () => {
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2030-01-01')), 0);
  });
});

describe('errorFromThrown', () => {
  const coded = (code: string, cause?: unknown) =>
    Object.assign(new Error(`failed: ${code}`), { code, cause });

  test('network failures pause the queue as offline and are retryable', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ENOTFOUND',
      'EAI_AGAIN',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
    ]) {
      const error = errorFromThrown(coded(code));
      assert.deepEqual(
        [error.code, error.retryable, error.pause, error.detail],
        ['network', true, 'offline', code],
      );
    }
  });

  test('a code buried in a cause is found', () => {
    const error = errorFromThrown(
      Object.assign(new Error('fetch failed'), { cause: coded('ECONNREFUSED') }),
    );
    assert.equal(error.code, 'network');
  });

  test('an aborted signal wins over whatever was thrown', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(errorFromThrown(coded('ECONNRESET'), controller.signal).code, 'cancelled');
    assert.equal(
      errorFromThrown(Object.assign(new Error('x'), { name: 'AbortError' })).code,
      'cancelled',
    );
    assert.equal(errorFromThrown(coded('UND_ERR_DESTROYED')).code, 'cancelled');
  });

  test('an EngineFailure passes through untouched', () => {
    const inner = engineError('expired', 'gone');
    assert.equal(errorFromThrown(new EngineFailure(inner)), inner);
  });

  test('file errors are io, parser errors bad_response, the rest internal', () => {
    assert.equal(errorFromThrown(coded('ENOENT')).code, 'io');
    assert.equal(errorFromThrown(coded('ENOSPC')).detail, 'ENOSPC');
    assert.equal(errorFromThrown(coded('HPE_INVALID_CONSTANT')).code, 'bad_response');
    assert.equal(errorFromThrown(coded('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH')).code, 'io');
    assert.equal(errorFromThrown('a string').code, 'internal');
  });
});

describe('redactError', () => {
  test('removes the key and any bearer token from message and detail', () => {
    const key = 'sk-abcdef123456';
    const error = redactError(
      engineError('rejected', `bad key ${key}, header Bearer other-token-9`, {
        detail: `sent ${key}`,
      }),
      key,
    );
    assert.equal(error.message, 'bad key [redacted], header Bearer [redacted]');
    assert.equal(error.detail, 'sent [redacted]');
  });

  test('a tiny key is not used to mangle ordinary words', () => {
    assert.equal(
      redactError(engineError('rejected', 'a bad request'), 'a').message,
      'a bad request',
    );
  });
});

test('a request may have reached APIMart unless no connection was ever made', () => {
  const network = (detail: string) => engineError('network', 'Cannot reach APIMart.', { detail });
  for (const never of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']) {
    assert.equal(mayHaveReachedService(network(never)), false, never);
  }
  for (const maybe of ['ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_SOCKET']) {
    assert.equal(mayHaveReachedService(network(maybe)), true, maybe);
  }
  assert.equal(mayHaveReachedService(engineError('server', 'HTTP 500.')), false, 'it answered');
});
