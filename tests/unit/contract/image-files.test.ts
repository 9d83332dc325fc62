import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONTENT_TYPES,
  EXTENSIONS,
  extensionForType,
  IMAGE_EXTENSIONS,
  UPLOAD_FORMATS,
} from '../../../main/contract/image-files.ts';

test('every format GenQueue writes is a name it reads back, under its own MIME type', () => {
  for (const format of UPLOAD_FORMATS) {
    assert.ok(IMAGE_EXTENSIONS.includes(EXTENSIONS[format]), format);
    assert.equal(extensionForType(CONTENT_TYPES[format]), EXTENSIONS[format]);
  }
  assert.equal(extensionForType('image/jpeg'), 'jpg');
});
