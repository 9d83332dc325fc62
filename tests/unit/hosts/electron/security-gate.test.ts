import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, tempDir } from '../../../support/paths.ts';

const GATE = join(REPO_ROOT, 'scripts/electronegativity.ts');

test('the Electronegativity gate fails an app that turns isolation off and never limits navigation', async (t) => {
  const app = await tempDir(t);
  await writeFile(
    join(app, 'package.json'),
    '{"name":"unsafe","devDependencies":{"electron":"45.5.0"}}',
  );
  await writeFile(
    join(app, 'main.js'),
    [
      "const { app, BrowserWindow } = require('electron');",
      'app.whenReady().then(() => {',
      '  const win = new BrowserWindow({ webPreferences: { contextIsolation: false } });',
      "  win.loadURL('https://example.com');",
      '});',
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, [GATE, app], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /HIGH\/\w+\s+CONTEXT_ISOLATION_JS_CHECK\s+main\.js:3/);
  assert.match(run.stdout, /HIGH\/\w+\s+LIMIT_NAVIGATION_GLOBAL_CHECK\s+\(whole project\)/);
  assert.match(run.stdout, /Electronegativity: 2 high,/);
});
