// The naming template's one definition: what the engine names a result is what the Settings
// preview shows, and a placeholder it does not know is reported and kept as typed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fileNameFromTemplate,
  NAME_PLACEHOLDERS,
  unknownPlaceholders,
} from '../../../main/contract/naming.ts';

const values = {
  name: 'holiday-photo',
  model: 'gpt-image-2',
  index: 1,
  ext: 'png',
  taskId: 'task_1',
  date: new Date('2026-03-04T05:06:07Z'),
};

test('every placeholder is filled, unsafe characters are replaced, an empty name falls back', () => {
  assert.equal(
    fileNameFromTemplate(NAME_PLACEHOLDERS.join('_'), values),
    'holiday-photo_gpt-image-2_1_png_task_1_2026-03-04',
  );
  assert.equal(fileNameFromTemplate('a:b\u0007c?.{ext}', values), 'a_b_c_.png');
  assert.equal(fileNameFromTemplate(' . ', values), 'holiday-photo-1.png');
});

test('unknown placeholders are listed and kept in the name as typed', () => {
  assert.deepEqual(unknownPlaceholders('{name}-{size}-{when}.{ext}'), ['{size}', '{when}']);
  assert.equal(fileNameFromTemplate('{name}-{size}.{ext}', values), 'holiday-photo-{size}.png');
});
