import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WatchFolderSettingsSchema } from '../../../../main/contract/watch.ts';
import { createPathRules } from '../../../../main/engine/watch/path-rules.ts';

const root = '/photos/inbox';
const rules = (extra: object = {}, outputs: string[] = []) =>
  createPathRules(WatchFolderSettingsSchema.parse({ path: root, ...extra }), outputs);
const at = (...parts: string[]) => join(root, ...parts);

describe('path rules', () => {
  test('takes image names anywhere below the folder, nothing outside it', () => {
    const r = rules();
    assert.equal(r.wantsFile(at('a.jpg')), true);
    assert.equal(r.wantsFile(at('2024', 'june', 'b.HEIC')), true);
    assert.equal(r.wantsFile('/photos/other/a.jpg'), false);
    assert.equal(r.wantsFile('/photos/inbox-2/a.jpg'), false);
    assert.equal(r.wantsFile(at('notes.txt')), false);
  });

  test('leaves hidden and temporary files and hidden folders alone', () => {
    const r = rules();
    for (const name of ['.a.jpg', 'a.jpg.tmp', 'a.jpg.part', 'a.jpg.crdownload', '~$a.jpg']) {
      assert.equal(r.wantsFile(at(name)), false, name);
    }
    assert.equal(r.wantsFile(at('.thumbnails', 'a.jpg')), false);
    assert.equal(r.wantsDir(at('.git')), false);
  });

  test('never looks inside GenQueue output folders, even inside the watched one', () => {
    const r = rules({}, [at('results')]);
    assert.equal(r.wantsFile(at('results', 'a-model-1.png')), false);
    assert.equal(r.wantsFile(at('results', 'deeper', 'x.png')), false);
    assert.equal(r.wantsDir(at('results')), false);
    assert.equal(r.wantsFile(at('results-old', 'x.png')), true);
    assert.equal(r.wantsFile(at('sub', 'genqueue-output', 'x.png')), false);
    assert.deepEqual(r.ignoredDirs, [at('results')]);
  });

  test('skips done/ and failed/ only when originals are moved there', () => {
    assert.equal(rules().wantsFile(at('done', 'a.jpg')), true);
    const moving = rules({ afterSuccess: 'move', afterFailure: 'move' });
    assert.equal(moving.wantsFile(at('done', 'a.jpg')), false);
    assert.equal(moving.wantsFile(at('sub', 'failed', 'a.jpg')), false);
  });

  test('a folder watched without sub-folders takes only its own files', () => {
    const r = rules({ recursive: false });
    assert.equal(r.wantsFile(at('a.jpg')), true);
    assert.equal(r.wantsFile(at('sub', 'a.jpg')), false);
    assert.equal(r.wantsDir(root), true);
    assert.equal(r.wantsDir(at('sub')), false);
  });

  test('include and exclude globs match the name, or the relative path when they hold a slash', () => {
    const r = rules({ include: ['*.jpg', 'scans/**/*.png'], exclude: ['*-draft.*'] });
    assert.equal(r.wantsFile(at('a.JPG')), true);
    assert.equal(r.wantsFile(at('deep', 'a.jpg')), true);
    assert.equal(r.wantsFile(at('a.png')), false);
    assert.equal(r.wantsFile(at('scans', '2024', 'a.png')), true);
    assert.equal(r.wantsFile(at('a-draft.jpg')), false);
  });
});
