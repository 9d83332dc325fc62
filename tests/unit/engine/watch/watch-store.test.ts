import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchFolderSettingsSchema } from '../../../../main/contract/watch.ts';
import { openDatabase } from '../../../../main/engine/store/database.ts';
import { createJobsStore, recipeKey } from '../../../../main/engine/store/jobs-store.ts';
import { createWatchStore } from '../../../../main/engine/watch/watch-store.ts';

const recipe = { model: 'm', prompt: 'p' };
const key = recipeKey(recipe);
const stamp = { size: 10, mtimeMs: 1000.5 };

function stores() {
  const db = openDatabase(':memory:');
  const watch = createWatchStore(db);
  const jobs = createJobsStore(db);
  const folder = watch.add(WatchFolderSettingsSchema.parse({ path: '/in' }));
  return { db, watch, jobs, folder };
}

test('folders persist their settings and come back parsed', () => {
  const { watch, folder } = stores();
  assert.equal(folder.enabled, true);
  assert.equal(folder.primed, false);
  watch.markPrimed(folder.id);
  watch.update(folder.id, { ...folder.settings, include: ['*.jpg'] }, false);
  const again = watch.get(folder.id)!;
  assert.deepEqual(again.settings.include, ['*.jpg']);
  assert.equal(again.enabled, false);
  assert.equal(again.primed, true, 'same path: still primed');
  watch.update(folder.id, { ...folder.settings, path: '/elsewhere' }, true);
  assert.equal(watch.get(folder.id)!.primed, false, 'a new path starts over');
});

test('the ledger takes each hash + recipe once, whatever the path', () => {
  const { watch, folder } = stores();
  const first = watch.claim(folder.id, [
    { sha256: 'h1', recipeKey: key, source: '/in/a.png', stamp },
    { sha256: 'h1', recipeKey: key, source: '/in/copy-of-a.png', stamp },
    { sha256: 'h2', recipeKey: key, source: '/in/b.png', stamp },
  ]);
  assert.deepEqual(
    first.map((c) => c.source),
    ['/in/a.png', '/in/b.png'],
  );
  const renamed = watch.claim(folder.id, [
    { sha256: 'h1', recipeKey: key, source: '/in/z.png', stamp },
  ]);
  assert.deepEqual(renamed, []);
  const otherRecipe = watch.claim(folder.id, [
    { sha256: 'h1', recipeKey: 'other', source: '/in/z.png', stamp },
  ]);
  assert.equal(otherRecipe.length, 1);
  assert.equal(watch.counts(folder.id).skipped, 2);
  assert.equal(watch.seen(folder.id, '/in/copy-of-a.png', stamp), true);
  assert.equal(watch.seen(folder.id, '/in/copy-of-a.png', { ...stamp, size: 11 }), false);
  assert.ok(watch.get(folder.id)!.lastEventAt! > 0);
});

test('released claims can be taken again, and are no longer seen', () => {
  const { watch, folder } = stores();
  const [claim] = watch.claim(folder.id, [
    { sha256: 'h', recipeKey: key, source: '/in/a.png', stamp },
  ]);
  watch.release(folder.id, [claim!]);
  assert.equal(watch.seen(folder.id, '/in/a.png', stamp), false);
  assert.equal(
    watch.claim(folder.id, [{ sha256: 'h', recipeKey: key, source: '/in/a.png', stamp }]).length,
    1,
  );
});

test('counts follow the jobs the folder queued', () => {
  const { watch, jobs, folder } = stores();
  const claims = watch.claim(folder.id, [
    { sha256: 'h1', recipeKey: key, source: '/in/a.png', stamp },
    { sha256: 'h2', recipeKey: key, source: '/in/b.png', stamp },
  ]);
  const ids = jobs.enqueue(claims.map((c) => ({ source: c.source, recipe, simulated: true })));
  watch.linkJobs(claims.map((claim, i) => ({ claim, jobId: ids[i]! })));
  jobs.transition(ids[0]!, 'preparing');
  jobs.transition(ids[0]!, 'failed');
  assert.deepEqual(watch.counts(folder.id), { queued: 2, done: 0, failed: 1, skipped: 0 });
  assert.deepEqual(watch.claimOfJob(ids[1]!), { folderId: folder.id, source: '/in/b.png' });
});

test('after a crash between claiming and queueing, claims are linked or given back', () => {
  const { watch, jobs, folder } = stores();
  watch.claim(folder.id, [
    { sha256: 'queued', recipeKey: key, source: '/in/a.png', stamp },
    { sha256: 'lost', recipeKey: key, source: '/in/b.png', stamp },
  ]);
  const [jobId] = jobs.enqueue([{ source: '/in/a.png', recipe, simulated: true }]);
  watch.recoverUnlinked();
  assert.deepEqual(watch.claimOfJob(jobId!), { folderId: folder.id, source: '/in/a.png' });
  assert.equal(watch.seen(folder.id, '/in/b.png', stamp), false, 'b is found again by the scan');
  assert.equal(
    watch.claim(folder.id, [{ sha256: 'lost', recipeKey: key, source: '/in/b.png', stamp }]).length,
    1,
  );
});

test('removing a folder forgets its seen files but keeps the ledger', () => {
  const { db, watch, folder } = stores();
  watch.claim(folder.id, [{ sha256: 'h', recipeKey: key, source: '/in/a.png', stamp }]);
  watch.remove(folder.id);
  assert.equal(watch.get(folder.id), undefined);
  assert.equal(Number(db.prepare('SELECT COUNT(*) AS n FROM watch_files').get()!.n), 0);
  assert.equal(Number(db.prepare('SELECT COUNT(*) AS n FROM processed').get()!.n), 1);
});
