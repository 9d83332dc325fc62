// Integration: a server that echoes the API key back, URL-encoded, base64 and JSON-escaped, in a
// failed task's reason. `genqueue run` against the simulator: neither the job's stored error in
// the database nor anything the command prints contains the key in any of those forms.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { keyForms } from '../../main/engine/apimart/redact.ts';
import { startSimulator } from '../../main/simulator/simulator.ts';
import { genqueue } from '../support/cli.ts';
import { CORPUS, tempDir } from '../support/paths.ts';

const KEY = 'sk-live/Echo+Key=2024';

test('a key echoed encoded in a server message is in neither the stored error nor the CLI output (integration)', async (t) => {
  const simulator = await startSimulator({ taskDurationMs: 50, apiKey: KEY });
  t.after(() => simulator.close());
  const echoes = [
    `url ${encodeURIComponent(KEY)}`,
    `basic ${Buffer.from(`user:${KEY}`).toString('base64')}`,
    `json ${JSON.stringify({ key: KEY }).replace(/\//g, '\\/')}`,
  ];
  simulator.setFaults({ taskFailure: `Refused for ${echoes.join('; ')}` });
  const home = await tempDir(t);
  const ran = await genqueue(
    ['run', join(CORPUS, 'jpg/Canon_40D.jpg'), '--prompt', 'x', '--out', await tempDir(t)],
    { APIMART_BASE_URL: simulator.url, APIMART_API_KEY: KEY, GENQUEUE_HOME: home },
  );
  assert.notEqual(ran.code, 0, ran.stdout);
  const printed = ran.stdout + ran.stderr;
  assert.match(printed, /Refused for url \[redacted\]/);

  const db = new DatabaseSync(join(home, 'genqueue.db'), { readOnly: true });
  t.after(() => db.close());
  const rows = db.prepare('SELECT error FROM jobs').all();
  assert.equal(rows.length, 1);
  const stored = String(rows[0]?.error);
  assert.match(stored, /\[redacted\]/);
  for (const text of [printed, stored]) {
    for (const form of [...keyForms(KEY), 'Echo+Key', 'Echo%2BKey', 'RWNobytLZXk']) {
      assert.ok(!text.includes(form), `"${form}" in ${text}`);
    }
  }
});
