// The naming template's one definition: what the engine names a result is what the Settings
// preview shows, a placeholder it does not know is reported and kept as typed, and every name it
// makes can be created on every OS, with room for the engine's " (99999)" and the sidecar's ".json".
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  fileNameFromTemplate,
  MAX_FILE_NAME_BYTES,
  MAX_STEM_BYTES,
  MAX_SUFFIX_NUMBER,
  NAME_PLACEHOLDERS,
  unknownPlaceholders,
  withSuffix,
  type NameValues,
} from '../../../main/contract/naming.ts';
import { tempDir } from '../../support/paths.ts';

const values: NameValues = {
  name: 'holiday-photo',
  folder: '100CANON',
  model: 'gpt-image-2',
  index: 1,
  ext: 'png',
  taskId: 'task_1',
  date: new Date('2026-03-04T05:06:07Z'),
};

const named = (template: string, name: string) =>
  fileNameFromTemplate(template, { ...values, name, ext: 'webp' });

/** A surrogate without its other half: what a cut by UTF-16 units leaves in the middle of an emoji. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

test('every placeholder is filled, unsafe characters are replaced, an empty name falls back', () => {
  assert.equal(
    fileNameFromTemplate(NAME_PLACEHOLDERS.join('_'), values),
    'holiday-photo_gpt-image-2_1_png_task_1_2026-03-04_100CANON.png',
  );
  assert.equal(fileNameFromTemplate('a:b\u0007c?.{ext}', values), 'a_b_c_.png');
  assert.equal(fileNameFromTemplate(' . ', values), 'holiday-photo-1.png');
});

test('unknown placeholders are listed and kept in the name as typed', () => {
  assert.deepEqual(unknownPlaceholders('{name}-{size}-{when}.{ext}'), ['{size}', '{when}']);
  assert.equal(fileNameFromTemplate('{name}-{size}.{ext}', values), 'holiday-photo-{size}.png');
});

test('a name always ends with its extension, added when the template leaves it out', () => {
  assert.equal(fileNameFromTemplate('{name}-{index}', values), 'holiday-photo-1.png');
  assert.equal(fileNameFromTemplate('{name}.{ext}.', values), 'holiday-photo.png');
  assert.equal(fileNameFromTemplate('{folder}-{name}', values), '100CANON-holiday-photo.png');
  assert.equal(fileNameFromTemplate('.{ext}', values), 'holiday-photo-1.png');
  assert.equal(fileNameFromTemplate('....', values), 'holiday-photo-1.png');
  assert.equal(fileNameFromTemplate('....', { ...values, name: '...' }), '-1.png');
});

test('long names are cut by UTF-8 bytes, between characters, and the extension is kept', () => {
  const cjk = named('{name}-{model}-{index}.{ext}', '夏'.repeat(80));
  assert.equal(cjk, `${'夏'.repeat(79)}.webp`, '80 × 3 bytes: the 80th does not fit in 237');
  const emoji = named('{name}.{ext}', '😀'.repeat(100));
  assert.equal(emoji, `${'😀'.repeat(59)}.webp`, '59 × 4 = 236 bytes: no half emoji');
  const family = named('{name}', '👩‍👩‍👧‍👦'.repeat(20)); // 25 bytes each, one grapheme
  assert.equal(family, `${'👩‍👩‍👧‍👦'.repeat(9)}.webp`, 'a family is never split');
  const accents = named('{name}', `e${'\u0301'.repeat(200)}`); // one grapheme of 401 bytes
  assert.equal(accents, `e${'\u0301'.repeat(118)}.webp`, 'a grapheme too long is cut');
});

test('bidi controls are removed, so a name cannot show its extension reversed', () => {
  assert.equal(
    fileNameFromTemplate('{name}.{ext}', { ...values, name: 'photo\u202egnp.exe' }),
    'photognp.exe.png',
  );
  const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
  assert.equal(fileNameFromTemplate(`a${bidi}b`, values), 'ab.png');
});

test('control characters and what Windows refuses become "_", edges lose dots and spaces', () => {
  assert.equal(fileNameFromTemplate('\u0000a\u001fb\u007fc\u0080d\u009f', values), '_a_b_c_d_.png');
  assert.equal(fileNameFromTemplate('<>:"/\\|?*', values), '_________.png');
  assert.equal(fileNameFromTemplate(' .. a b .. . ', values), 'a b.png');
  assert.equal(fileNameFromTemplate('a\u2028b', values), 'a_b.png');
});

test("Windows' device names get a '_' after them, with or without an extension", () => {
  const of = (name: string) => fileNameFromTemplate('{name}.{ext}', { ...values, name });
  assert.equal(of('CON'), 'CON_.png');
  assert.equal(of('nul'), 'nul_.png');
  assert.equal(of('com1'), 'com1_.png');
  assert.equal(of('LPT9.tar'), 'LPT9_.tar.png');
  assert.equal(of('con.tar'), 'con_.tar.png');
  assert.equal(of('COM²'), 'COM²_.png');
  assert.equal(of('aux .x'), 'aux_ .x.png');
  assert.equal(fileNameFromTemplate('{name}', { ...values, name: 'prn' }), 'prn_.png');
  assert.equal(of('CON\u200e'), 'CON_.png', 'a bidi mark does not hide a device name');
  for (const fine of ['CONSOLE', 'COM10', 'LPT', 'NULL', 'a.CON', 'CON-gpt-image-2-1'])
    assert.equal(of(fine), `${fine}.png`);
});

test('a taken name gets " (k)" before its extension', () => {
  assert.equal(withSuffix('x.png', 1), 'x.png');
  assert.equal(withSuffix('x.png', 2), 'x (2).png');
  assert.equal(withSuffix('a.tar.png', MAX_SUFFIX_NUMBER), 'a.tar (99999).png');
  assert.equal(withSuffix('x', 3), 'x (3)');
});

test('every name fits and can be created, with its longest suffix and its sidecar', async (t) => {
  const dir = await tempDir(t);
  const names = [
    named('{name}-{model}-{index}.{ext}', '夏'.repeat(80)),
    named('{name}-{model}-{index}.{ext}', 'é'.repeat(200)),
    named('{name}.{ext}', '😀'.repeat(100)),
    named('x{name}', '😀'.repeat(100)), // odd offset: a UTF-16 cut would split a pair here
    named('{name}', '👩‍👩‍👧‍👦'.repeat(20)),
    named('{name}', 'a'.repeat(300)),
    named('{name}', `photo\u202e${'ق'.repeat(200)}`),
    named('{name}\u0007{folder}', 'CON'),
  ];
  for (const name of names) {
    assert.ok(name.endsWith('.webp'), name);
    assert.ok(!LONE_SURROGATE.test(name), `no half of a surrogate pair in ${name}`);
    assert.ok(Buffer.byteLength(name) <= MAX_STEM_BYTES + '.webp'.length, name);
    assert.ok(Buffer.byteLength(name) <= 242, name);
    const longest = `${withSuffix(name, MAX_SUFFIX_NUMBER)}.json`;
    assert.ok(Buffer.byteLength(longest) <= MAX_FILE_NAME_BYTES, longest);
    for (const file of [name, withSuffix(name, MAX_SUFFIX_NUMBER), longest])
      await writeFile(join(dir, file), '');
  }
});
