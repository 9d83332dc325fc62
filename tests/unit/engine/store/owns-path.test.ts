// ownsPath decides what the window may open, reveal or copy: exactly a job's source, a result it
// placed or that result's sidecar. It used to be a substring search in the results' JSON text, so
// 'jpeg', 'path' or a parent folder counted as "owned".
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../../../main/engine/store/database.ts';
import { createJobsStore } from '../../../../main/engine/store/jobs-store.ts';
import { tempDir } from '../../../support/paths.ts';

test('only a source, a placed result or its sidecar is owned, matched exactly', async (t) => {
  const db = openDatabase(join(await tempDir(t), 'q.db'));
  t.after(() => db.close());
  const jobs = createJobsStore(db);
  const [id] = jobs.enqueue([
    { source: '/photos/cat.jpg', recipe: { model: 'm', prompt: 'p' }, simulated: false },
  ]);
  for (const stage of ['preparing', 'uploading', 'submitting', 'running', 'downloading'] as const)
    jobs.transition(id!, stage, stage === 'running' ? { taskId: 'task_1' } : {});
  const result = {
    path: '/out/cat-m-1.jpeg',
    sidecar: '/out/cat-m-1.jpeg.json',
    bytes: 10,
    format: 'jpeg',
    width: 1,
    height: 1,
  };
  jobs.transition(id!, 'done', { results: [result], finishedAt: 1 });

  for (const owned of ['/photos/cat.jpg', result.path, result.sidecar]) {
    assert.equal(jobs.ownsPath(owned), true, owned);
  }
  for (const stranger of [
    'jpeg',
    'path',
    'sidecar',
    '/out',
    '/out/',
    '/out/cat-m-1',
    '/photos',
    '/photos/cat.jpg/',
    '/etc/shadow',
    '"/out/cat-m-1.jpeg"',
    '%',
    '',
  ]) {
    assert.equal(jobs.ownsPath(stranger), false, stranger);
  }
});
