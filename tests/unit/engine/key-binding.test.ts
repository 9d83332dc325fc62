// The key's binding to an origin, on an in-memory secret store: a key is usable only at the origin
// it was entered for; a key stored bare (APIMART_API_KEY, or saved before keys were bound) belongs
// to the host's own base URL or APIMart's; and the base URL rule itself (https, or loopback http).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { baseUrlProblem, isLoopbackHost } from '../../../main/contract/base-url.ts';
import { EngineFailure } from '../../../main/contract/errors.ts';
import { memorySecrets } from '../../../main/engine/host/ports.ts';
import { bindKey } from '../../../main/engine/key-binding.ts';

const APIMART = 'https://api.apimart.ai';

describe('bindKey', () => {
  test('a saved key is usable at its own origin only, and says where it belongs elsewhere', async () => {
    let base = `${APIMART}/v1`;
    const keys = bindKey(memorySecrets(), () => base, APIMART);
    await keys.save('sk-entered-here');
    assert.equal(await keys.load(), 'sk-entered-here');
    base = 'https://api.apimart.ai.attacker.example';
    assert.equal(await keys.load(), undefined);
    const refused = await keys.require().catch((error: unknown) => error);
    assert.ok(refused instanceof EngineFailure);
    assert.equal(refused.error.code, 'auth');
    assert.equal(refused.error.pause, 'auth');
    assert.equal(
      refused.error.message,
      'The API key was entered for https://api.apimart.ai, not https://api.apimart.ai.attacker.example: enter it again in Settings to use it there.',
    );
    base = 'https://api.apimart.ai:443/other/path';
    assert.equal(await keys.require(), 'sk-entered-here');
  });

  test('a bare stored key belongs to the unbound origin; a key that looks like JSON stays a key', async () => {
    const bare = bindKey(memorySecrets('sk-from-env'), () => 'http://127.0.0.1:9', APIMART);
    assert.equal(await bare.load(), undefined);
    assert.match(
      (await bare.problem()) ?? '',
      /meant for https:\/\/api\.apimart\.ai; .* APIMART_BASE_URL=http:\/\/127\.0\.0\.1:9 /,
    );
    const braced = bindKey(memorySecrets('{odd-key}'), () => APIMART, APIMART);
    assert.equal(await braced.load(), '{odd-key}');
  });

  test('no key: nothing to complain about, nothing to send', async () => {
    const keys = bindKey(memorySecrets(), () => APIMART, APIMART);
    assert.equal(await keys.problem(), undefined);
    assert.equal(await keys.require(), undefined);
  });
});

describe('baseUrlProblem', () => {
  test('https anywhere; http only on loopback (numeric spellings included)', () => {
    for (const url of [
      APIMART,
      'https://10.0.0.1:8443/proxy',
      'http://127.0.0.1:4000',
      'http://127.9.9.9',
      'http://localhost:5000',
      'http://[::1]:80',
      'http://2130706433/',
      'http://0x7f.1/',
    ]) {
      assert.equal(baseUrlProblem(url), undefined, url);
    }
  });

  test('plain http elsewhere, credentials and junk are refused in words', () => {
    for (const url of [
      'http://attacker.example',
      'http://10.0.0.1',
      'http://localhost.attacker.example',
      'http://[::ffff:7f00:1]/',
      'ftp://127.0.0.1',
    ]) {
      assert.match(baseUrlProblem(url) ?? '', /only over https/, url);
    }
    assert.match(baseUrlProblem('https://u:p@x.example') ?? '', /user name or password/);
    assert.equal(baseUrlProblem('not a url'), 'it is not a web address');
    assert.equal(isLoopbackHost('127.0.0.1.nip.io'), false);
  });
});
