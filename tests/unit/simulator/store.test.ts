// The simulator's journal: what it reads back (a line cut short by a kill is skipped, not fatal),
// and what it forgets after APIMart's 72 hours (the entries, the upload files, the rendered results).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { SimStore } from '../../../main/simulator/store.ts';
import type { Task } from '../../../main/simulator/tasks.ts';

const HOUR = 60 * 60 * 1000;

async function dataDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sim-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'uploads'));
  await mkdir(path.join(dir, 'results'));
  return dir;
}

function task(id: string, createdAt: number): Task {
  const spec = { model: 'm', prompt: 'p', n: 1, size: null, imageUrls: [] };
  return { ...spec, id, createdAt, durationMs: 100, failure: null, inputs: [] };
}

test('a journal line cut short by a kill is skipped; everything before it comes back', async (t) => {
  const dir = await dataDir(t);
  const store = new SimStore(dir);
  store.addUpload('a.png', 'image/png', Date.now());
  const reply = { status: 200, json: { data: { id: 'task_01A' } } };
  const key = { key: 'k', bodySha256: 'sha', taskId: 'task_01A', reply };
  store.addTask(task('task_01A', Date.now()), { model: 'm' }, key);
  store.close();
  await appendFile(path.join(dir, 'journal.jsonl'), '{"kind":"task","at":1,"ta');

  const again = new SimStore(dir);
  t.after(() => again.close());
  assert.equal(again.upload('a.png')?.file, path.join(dir, 'uploads', 'a.png'));
  assert.equal(again.task('task_01A')?.prompt, 'p');
  assert.deepEqual(again.key('k')?.reply, reply);
  assert.deepEqual(again.earlierBodies(), [{ model: 'm' }]);
  again.addUpload('b.png', 'image/png', Date.now());
  const third = new SimStore(dir);
  t.after(() => third.close());
  assert.ok(third.upload('b.png'), 'an entry written after a torn line is read back too');
});

test('after 72 hours entries are dropped with their upload files and rendered results', async (t) => {
  const dir = await dataDir(t);
  const now = Date.now();
  const store = new SimStore(dir);
  store.addUpload('old.png', 'image/png', now - 73 * HOUR);
  store.addUpload('new.png', 'image/png', now - HOUR);
  store.addTask(task('task_01OLD', now - 73 * HOUR), {}, null);
  store.addTask(task('task_01NEW', now - HOUR), {}, null);
  store.close();
  for (const name of ['old.png', 'new.png']) await writeFile(path.join(dir, 'uploads', name), 'x');
  for (const name of ['task_01OLD-0.png', 'task_01OLD-1.png', 'task_01NEW-0.png']) {
    await writeFile(path.join(dir, 'results', name), 'x');
  }

  const again = new SimStore(dir, now);
  t.after(() => again.close());
  assert.equal(again.upload('old.png'), undefined);
  assert.equal(again.task('task_01OLD'), undefined);
  assert.ok(again.upload('new.png') && again.task('task_01NEW'));
  assert.deepEqual(await readdir(path.join(dir, 'uploads')), ['new.png']);
  assert.deepEqual(await readdir(path.join(dir, 'results')), ['task_01NEW-0.png']);
  const journal = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
  assert.equal(journal.trim().split('\n').length, 2, 'the journal is written again without them');
});
