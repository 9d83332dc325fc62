import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_SUFFIX_NUMBER, withSuffix } from '../../../../main/contract/naming.ts';
import { outputDirFor, renderName } from '../../../../main/engine/results/output-names.ts';
import { tempDir } from '../../../support/paths.ts';

test('the naming template fills every field and makes the name safe on every OS', () => {
  const fields = {
    source: '/in/My photo.HEIC',
    model: 'gpt-image-2',
    index: 2,
    ext: 'png',
    taskId: 't1',
    date: new Date('2026-01-02T03:04:05Z'),
  };
  assert.equal(renderName('{name}-{model}-{index}.{ext}', fields), 'My photo-gpt-image-2-2.png');
  assert.equal(renderName('{date}/{task}:{unknown}.{ext}', fields), '2026-01-02_t1_{unknown}.png');
  assert.equal(renderName('...', fields), 'My photo-2.png');
});

test('{folder} is the name of the folder the source is in', () => {
  const fields = { model: 'm', index: 1, ext: 'jpg', taskId: 't1' };
  const name = (source: string) =>
    renderName('{folder}-{name}-{index}.{ext}', { ...fields, source });
  assert.equal(name('/DCIM/100CANON/IMG_0001.JPG'), '100CANON-IMG_0001-1.jpg');
  assert.equal(name('/DCIM/101CANON/IMG_0001.JPG'), '101CANON-IMG_0001-1.jpg');
});

test('a long source name is cut to fit, its result and sidecar can be created', async (t) => {
  const dir = await tempDir(t);
  const name = renderName('{name}-{model}-{index}.{ext}', {
    source: `/in/${'写真'.repeat(40)}.jpg`,
    model: 'gpt-image-2',
    index: 1,
    ext: 'png',
    taskId: 't1',
  });
  assert.equal(name, `${'写真'.repeat(39)}写.png`);
  await writeFile(join(dir, name), '');
  const asWebp = name.replace(/\.png$/, '.webp'); // what the bytes may turn out to be
  await writeFile(join(dir, `${withSuffix(asWebp, MAX_SUFFIX_NUMBER)}.json`), '');
});

test('results go to the recipe folder, else the settings folder, else beside the source', () => {
  assert.equal(outputDirFor('/a/b.jpg', '/r', '/s'), '/r');
  assert.equal(outputDirFor('/a/b.jpg', undefined, '/s'), '/s');
  assert.equal(outputDirFor('/a/b.jpg'), join('/a', 'genqueue-output'));
});
