import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayOpen } from '../../../../main/hosts/electron/desktop-policy.ts';

test('opens folders and image files only', () => {
  assert.equal(mayOpen('/home/ana/out', true), true);
  assert.equal(mayOpen('/home/ana/out/cat-gemini-1.PNG', false), true);
  assert.equal(mayOpen('C:\\Users\\ana\\cat.jpeg', false), true);
  assert.equal(mayOpen('/home/ana/photo.heic', false), true);
});

test('refuses programs, scripts, shortcuts and files without an extension', () => {
  for (const path of [
    'C:\\Users\\ana\\Downloads\\setup.exe',
    '/home/ana/run.sh',
    '/home/ana/.local/share/applications/evil.desktop',
    'C:\\x\\link.lnk',
    '/home/ana/image.png.exe',
    '/usr/bin/env',
    '/home/ana/drawing.svg',
  ]) {
    assert.equal(mayOpen(path, false), false, path);
  }
});

test('refuses macOS bundles, which are folders that launch', () => {
  assert.equal(mayOpen('/Applications/Calculator.app', true), false);
  assert.equal(mayOpen('/Users/ana/Library/Services/Evil.workflow', true), false);
  assert.equal(mayOpen('/Users/ana/photos.2024', true), true);
});
