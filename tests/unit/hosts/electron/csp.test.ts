import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CSP, META_CSP, parseCsp } from '../../../../main/hosts/electron/csp.ts';
import { REPO_ROOT } from '../../../support/paths.ts';

describe('the window CSP', () => {
  const policy = parseCsp(CSP);

  test('denies by default and allows only the app itself, never eval or remote hosts', () => {
    assert.equal(policy.get('default-src'), "'none'");
    assert.equal(policy.get('script-src'), "'self'");
    assert.equal(policy.get('frame-ancestors'), "'none'");
    assert.equal(policy.get('base-uri'), "'none'");
    for (const [name, sources] of policy) {
      assert.doesNotMatch(sources, /unsafe-eval|https?:|\*|wss?:/, `${name} allows ${sources}`);
    }
  });

  test('the meta policy is the header policy without frame-ancestors', () => {
    const meta = parseCsp(META_CSP);
    assert.equal(meta.has('frame-ancestors'), false);
    policy.delete('frame-ancestors');
    assert.deepEqual(meta, policy);
  });

  test("the page's meta tag carries exactly the meta policy", async () => {
    const html = await readFile(join(REPO_ROOT, 'renderer/index.html'), 'utf8');
    const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    assert.ok(match?.[1], 'renderer/index.html has no Content-Security-Policy meta tag');
    assert.deepEqual(parseCsp(match[1]), parseCsp(META_CSP));
  });
});
