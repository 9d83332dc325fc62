// `npm start`'s Electron check (scripts/ensure-electron.ts) in a stand-in project whose electron
// package is a copy of the real one, without a binary: the real installer fails against a closed
// port on 127.0.0.1 (as it does offline) and the check says so in one sentence; a stand-in binary,
// chosen with ELECTRON_EXEC_PATH or left by an earlier install, lets the start go on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { REPO_ROOT, tempDir } from '../support/paths.ts';
import { closedPort } from '../support/net.ts';

const SCRIPT = join(REPO_ROOT, 'scripts/ensure-electron.ts');
const ELECTRON = join(REPO_ROOT, 'node_modules/electron');
const VERSION = (
  JSON.parse(readFileSync(join(ELECTRON, 'package.json'), 'utf8')) as { version: string }
).version;

/** A project folder whose node_modules/electron has the installer but no binary yet. */
async function project(t: TestContext): Promise<string> {
  const root = await tempDir(t);
  const electron = join(root, 'node_modules/electron');
  await mkdir(electron, { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json'])
    await copyFile(join(ELECTRON, file), join(electron, file));
  // The installer's own dependencies (@electron/get) come from the real project.
  await symlink(
    join(REPO_ROOT, 'node_modules/@electron'),
    join(root, 'node_modules/@electron'),
    'junction',
  );
  return root;
}

async function standIn(path: string): Promise<string> {
  await writeFile(path, '#!/bin/sh\necho "stand-in Electron: $*"\n');
  await chmod(path, 0o755);
  return path;
}

function check(cwd: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [SCRIPT], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeout: 60_000,
  });
}

test('where Electron cannot be downloaded, the check says so in one sentence and exits 1', async (t) => {
  const root = await project(t);
  const ran = check(root, {
    ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
    electron_config_cache: join(root, 'cache'),
  });
  assert.equal(ran.status, 1, ran.stderr);
  assert.equal(ran.stdout, `Downloading Electron ${VERSION}, the desktop app's runtime (once)…\n`);
  const [sentence = '', ...more] = ran.stderr.trimEnd().split('\n');
  assert.deepEqual(more, [], ran.stderr);
  const start = `Electron ${VERSION} could not be downloaded (fetch failed), so `;
  assert.ok(sentence.startsWith(start), sentence);
  assert.ok(sentence.includes(`set ELECTRON_EXEC_PATH to an Electron ${VERSION} executable`));
  assert.match(sentence, /\.$/);
  assert.doesNotMatch(sentence, /\.\s+[A-Z]/, 'one sentence');
  assert.doesNotMatch(ran.stderr, /^\s+at /m, 'no stack trace');
});

test('ELECTRON_EXEC_PATH (what electron-vite starts) pointing at an executable passes', async (t) => {
  const root = await project(t);
  const ran = check(root, { ELECTRON_EXEC_PATH: await standIn(join(root, 'electron')) });
  assert.equal(ran.status, 0, ran.stderr);
  assert.equal(ran.stdout + ran.stderr, '');
});

test('ELECTRON_EXEC_PATH pointing at nothing fails in one sentence naming it', async (t) => {
  const root = await project(t);
  const ran = check(root, { ELECTRON_EXEC_PATH: join(root, 'missing') });
  assert.equal(ran.status, 1);
  assert.equal(
    ran.stderr,
    `ELECTRON_EXEC_PATH is ${join(root, 'missing')}, which is not an executable file: point it at an Electron ${VERSION} executable.\n`,
  );
});

test('a binary an earlier install left (path.txt names it) passes without downloading', async (t) => {
  const root = await project(t);
  const electron = join(root, 'node_modules/electron');
  await mkdir(join(electron, 'dist'));
  await standIn(join(electron, 'dist/electron'));
  await writeFile(join(electron, 'path.txt'), 'electron');
  const ran = check(root, { ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
  assert.equal(ran.status, 0, ran.stderr);
  assert.equal(ran.stdout + ran.stderr, '');
});
