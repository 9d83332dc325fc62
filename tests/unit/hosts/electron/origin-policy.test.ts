import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppPage, isSafeExternalUrl } from '../../../../main/hosts/electron/origin-policy.ts';

describe('isAppPage', () => {
  const built = 'file:///opt/GenQueue/resources/app.asar/out/renderer/index.html';
  const dev = 'http://localhost:5173/index.html';

  test('accepts the app page itself, with any query or hash', () => {
    assert.equal(isAppPage(built, built), true);
    assert.equal(isAppPage(`${built}#/results`, built), true);
    assert.equal(isAppPage(`${built}?view=queue`, built), true);
    assert.equal(isAppPage('http://localhost:5173/index.html#x', dev), true);
  });

  test('refuses any other file, folder, host, port or scheme', () => {
    assert.equal(isAppPage('file:///tmp/index.html', built), false);
    assert.equal(isAppPage(built.replace('index.html', 'other.html'), built), false);
    assert.equal(
      isAppPage('file://evil/opt/GenQueue/resources/app.asar/out/renderer/index.html', built),
      false,
    );
    assert.equal(isAppPage('http://localhost:5174/index.html', dev), false);
    assert.equal(isAppPage('https://localhost:5173/index.html', dev), false);
    assert.equal(isAppPage('http://localhost.evil.com:5173/index.html', dev), false);
    assert.equal(isAppPage('about:blank', built), false);
    assert.equal(isAppPage('data:text/html,<h1>hi</h1>', built), false);
  });

  test('refuses what is not a URL, and URLs carrying credentials', () => {
    assert.equal(isAppPage('', built), false);
    assert.equal(isAppPage('index.html', built), false);
    assert.equal(isAppPage('http://user:pw@localhost:5173/index.html', dev), false);
  });

  test('a path that only normalises to the app page is the app page (the URL parser decides)', () => {
    const sneaky = 'file:///opt/GenQueue/resources/app.asar/out/renderer/x/../index.html';
    assert.equal(isAppPage(sneaky, built), true);
  });
});

describe('isSafeExternalUrl', () => {
  test('allows https links with a host', () => {
    assert.equal(isSafeExternalUrl('https://docs.apimart.ai/en/quickstart'), true);
    assert.equal(isSafeExternalUrl('HTTPS://apimart.ai'), true);
  });

  test('refuses every other scheme, credentials and junk', () => {
    for (const url of [
      'http://apimart.ai',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'https://user:pw@apimart.ai',
      'https:',
      'not a url',
      '',
    ]) {
      assert.equal(isSafeExternalUrl(url), false, url);
    }
  });
});
