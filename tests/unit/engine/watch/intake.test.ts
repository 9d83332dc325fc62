import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { EnqueueResult } from '../../../../main/contract/routes.ts';
import { createLimiter } from '../../../../main/engine/util/limit.ts';
import { createIntake } from '../../../../main/engine/watch/intake.ts';
import type { Taken } from '../../../../main/engine/watch/take-file.ts';
import { fakeWatchStore } from './fake-watch-store.ts';

const stamp = { size: 10, mtimeMs: 1000 };
const errno = (code: string) => Object.assign(new Error(code), { code });
/** Lets the intake's awaits on fakes run (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * An intake over a fake store, a fake taker (each file's bytes are its name, unless the test says
 * otherwise) and a fake queue that numbers its jobs; the batch timer is mocked.
 */
function intakeOf(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = fakeWatchStore();
  const outcomes = new Map<string, () => Taken>();
  const log: string[] = [];
  const enqueued: string[][] = [];
  const queue = { refuse: new Set<string>(), fail: undefined as Error | undefined };
  let jobs = 0;
  const abort = new AbortController();
  const intake = createIntake({
    folderId: 'w1',
    store: fake.store,
    patch: { prompt: 'p' },
    recipeKey: (patch) => `key:${patch.prompt}`,
    enqueue: async (paths): Promise<EnqueueResult> => {
      enqueued.push(paths);
      if (queue.fail) throw queue.fail;
      const accepted = paths.filter((path) => !queue.refuse.has(path));
      return {
        jobIds: accepted.map(() => `job-${++jobs}`),
        skipped: paths
          .filter((path) => queue.refuse.has(path))
          .map((path) => ({ path, reason: 'refused' })),
      } as EnqueueResult;
    },
    hashes: createLimiter(4),
    root: () => ({ path: '/in', real: '/in' }),
    signal: abort.signal,
    retouch: (path) => log.push(`retouch ${path}`),
    skip: (path, _stamp, reason) => log.push(`skip ${path}: ${reason}`),
    changed: () => log.push('changed'),
    trouble: async (message) => void log.push(`trouble: ${message}`),
    take: async (path) => {
      log.push(`take ${path}`);
      return outcomes.get(path)?.() ?? { kind: 'taken', sha256: `sha-${path}` };
    },
  });
  /** Offers the files, lets them be read, then lets the batch timer fire and the batch queue. */
  const offer = async (...paths: string[]) => {
    for (const path of paths) intake.offer(path, stamp);
    await settle();
    t.mock.timers.tick(50);
    await settle();
  };
  return { intake, fake, outcomes, log, enqueued, queue, offer, abort };
}

test('stable files are taken, batched, claimed, queued and linked to their jobs', async (t) => {
  const { intake, fake, log, enqueued, offer } = intakeOf(t);
  intake.offer('/in/a.png', stamp);
  intake.offer('/in/b.png', stamp);
  await settle();
  assert.equal(intake.idle, false, 'read and waiting in the batch');
  assert.deepEqual(enqueued, [], 'the batch waits for its timer');
  await offer();
  assert.deepEqual(enqueued, [['/in/a.png', '/in/b.png']], 'one batch, one enqueue');
  assert.deepEqual(fake.jobs(), { '/in/a.png': 'job-1', '/in/b.png': 'job-2' });
  assert.deepEqual(log, ['take /in/a.png', 'take /in/b.png', 'changed']);
  assert.equal(intake.idle, true);
});

test('a file is taken once: not while it is being taken, not when seen with the same stamp', async (t) => {
  const { intake, log, enqueued, offer } = intakeOf(t);
  intake.offer('/in/a.png', stamp);
  intake.offer('/in/a.png', stamp);
  await offer();
  await offer('/in/a.png');
  assert.deepEqual(
    log.filter((line) => line.startsWith('take')),
    ['take /in/a.png'],
  );
  assert.equal(enqueued.length, 1);
  await offer('/in/a.png');
  intake.offer('/in/a.png', { ...stamp, mtimeMs: 2000 });
  await offer();
  assert.equal(log.filter((line) => line.startsWith('take')).length, 2, 'a new stamp is new');
});

test('bytes already in the ledger for this recipe are not queued again, whatever their name', async (t) => {
  const { fake, outcomes, enqueued, offer } = intakeOf(t);
  outcomes.set('/in/copy.png', () => ({ kind: 'taken', sha256: 'sha-/in/a.png' }));
  await offer('/in/a.png');
  await offer('/in/copy.png');
  assert.deepEqual(enqueued, [['/in/a.png']]);
  assert.ok(fake.seenStamps.has('/in/copy.png'), 'the copy is known from now on');
});

test('what the queue refuses is released; the rest is linked', async (t) => {
  const { fake, queue, offer } = intakeOf(t);
  queue.refuse.add('/in/b.png');
  await offer('/in/a.png', '/in/b.png');
  assert.deepEqual(fake.jobs(), { '/in/a.png': 'job-1' });
  assert.deepEqual(fake.claimed(), ['/in/a.png']);
  assert.equal(fake.seenStamps.has('/in/b.png'), false, 'b is taken again by the next scan');
});

test('when queueing fails, the claims are released and the folder is in trouble', async (t) => {
  const { intake, fake, log, queue, offer } = intakeOf(t);
  queue.fail = new Error('disk full');
  await offer('/in/a.png');
  assert.deepEqual(fake.claimed(), []);
  assert.equal(fake.seenStamps.size, 0);
  assert.match(log.at(-1)!, /^trouble: Files in \/in cannot be queued: .*disk full/);
  assert.equal(intake.idle, true);
});

test('a file that changed while read waits again; our own results are only noted', async (t) => {
  const { fake, outcomes, log, enqueued, offer } = intakeOf(t);
  outcomes.set('/in/growing.png', () => ({ kind: 'changed' }));
  outcomes.set('/in/result.png', () => ({ kind: 'ours' }));
  outcomes.set('/in/link.png', () => ({ kind: 'refused', reason: 'It is a link.' }));
  outcomes.set('/in/gone.png', () => ({ kind: 'gone' }));
  await offer('/in/growing.png', '/in/result.png', '/in/link.png', '/in/gone.png');
  assert.deepEqual(enqueued, []);
  assert.ok(log.includes('retouch /in/growing.png'));
  assert.ok(log.includes('skip /in/link.png: It is a link.'));
  assert.deepEqual([...fake.seenStamps.keys()], ['/in/result.png']);
});

test('a file that cannot be opened is tried five times, then passed over with why', async (t) => {
  const { intake, outcomes, log, offer } = intakeOf(t);
  outcomes.set('/in/locked.png', () => {
    throw errno('EBUSY');
  });
  for (let attempt = 0; attempt < 5; attempt++) await offer('/in/locked.png');
  assert.equal(log.filter((line) => line === 'retouch /in/locked.png').length, 4);
  assert.equal(
    log.at(-1),
    'skip /in/locked.png: GenQueue could not open it after 5 tries (EBUSY).',
  );
  assert.equal(intake.idle, true);
});

test('a thousand files make a batch at once; flush() queues what is batched without the timer', async (t) => {
  const { intake, enqueued } = intakeOf(t);
  for (let i = 0; i < 1001; i++) intake.offer(`/in/${i}.png`, stamp);
  await settle();
  await settle();
  assert.deepEqual(
    enqueued.map((paths) => paths.length),
    [1000],
  );
  await intake.flush();
  assert.deepEqual(
    enqueued.map((paths) => paths.length),
    [1000, 1],
  );
  assert.equal(intake.idle, true);
});

test('once stopped, a file being read is dropped (the next scan finds it)', async (t) => {
  const { intake, fake, enqueued, offer, abort } = intakeOf(t);
  intake.offer('/in/a.png', stamp);
  abort.abort();
  await offer();
  await intake.flush();
  assert.deepEqual(enqueued, []);
  assert.equal(fake.seenStamps.size, 0);
  assert.equal(intake.idle, true);
});
