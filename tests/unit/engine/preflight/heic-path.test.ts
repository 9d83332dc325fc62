// The HEIC worker loads libheif from a real folder: in a packaged app, from app.asar.unpacked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unpackedPath } from '../../../../main/engine/preflight/decoders/heic.ts';

test('a module inside app.asar is loaded from app.asar.unpacked, on every platform', () => {
  assert.equal(
    unpackedPath('/opt/GenQueue/resources/app.asar/node_modules/libheif-js/wasm-bundle.js'),
    '/opt/GenQueue/resources/app.asar.unpacked/node_modules/libheif-js/wasm-bundle.js',
  );
  assert.equal(
    unpackedPath(
      'C:\\Program Files\\GenQueue\\resources\\app.asar\\node_modules\\libheif-js\\x.js',
    ),
    'C:\\Program Files\\GenQueue\\resources\\app.asar.unpacked\\node_modules\\libheif-js\\x.js',
  );
});

test('a path outside an asar archive is left as it is', () => {
  for (const path of [
    '/work/main/node_modules/libheif-js/wasm-bundle.js',
    '/home/me/app.asar.unpacked/node_modules/x.js',
    '/home/me/my-app.asar-notes/x.js',
  ]) {
    assert.equal(unpackedPath(path), path);
  }
});
