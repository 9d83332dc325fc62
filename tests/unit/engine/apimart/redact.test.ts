// The key never survives into text from a server, in whatever encoding the server echoed it:
// as is, after Bearer, URL-encoded, JSON-escaped, or inside base64 at any alignment.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keyForms, redactKey } from '../../../../main/engine/apimart/redact.ts';

const KEY = 'sk-Test/Key+9=é"x\\y';

/** Asserts the text keeps no form of the key and says where it was redacted. */
function assertScrubbed(echo: string): void {
  const scrubbed = redactKey(`the server said: ${echo} (end)`, KEY);
  for (const form of keyForms(KEY)) assert.ok(!scrubbed.includes(form), `${form} in ${scrubbed}`);
  assert.match(scrubbed, /\[redacted\]/, scrubbed);
  assert.match(scrubbed, /^the server said: .*\(end\)$/);
}

describe('redactKey', () => {
  test('the key as is, and after Bearer', () => {
    assertScrubbed(KEY);
    assert.equal(redactKey('header Bearer abc.def', undefined), 'header Bearer [redacted]');
  });

  test('URL-encoded: encodeURIComponent, lower-case escapes, every byte escaped', () => {
    const component = encodeURIComponent(KEY);
    assertScrubbed(component);
    assertScrubbed(component.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    assertScrubbed(
      [...Buffer.from(KEY)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''),
    );
    assert.ok(!redactKey(`q=${component}`, KEY).includes('%2F'));
  });

  test('JSON-escaped: a JSON string, escaped slashes, \\u escapes', () => {
    assertScrubbed(JSON.stringify(KEY));
    assertScrubbed(JSON.stringify(KEY).replace(/\//g, '\\/'));
    const unicode = [...KEY]
      .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    assertScrubbed(unicode);
    assertScrubbed(unicode.toUpperCase().replace(/\\U/g, '\\u'));
  });

  test('base64 at every alignment, standard and URL-safe, as in Basic user:key', () => {
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const encoded = Buffer.from(`${prefix}${KEY}`).toString('base64');
      assertScrubbed(`Basic ${encoded}`);
      assertScrubbed(encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
      const decodable = redactKey(`Basic ${encoded}`, KEY).replace('Basic ', '');
      assert.ok(!Buffer.from(decodable, 'base64').toString('latin1').includes('Key+9'));
    }
  });

  test('a tiny or missing key leaves ordinary words alone', () => {
    assert.equal(redactKey('a bad request', 'a'), 'a bad request');
    assert.equal(redactKey('a bad request', undefined), 'a bad request');
  });
});
