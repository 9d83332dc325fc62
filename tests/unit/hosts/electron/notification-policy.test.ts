import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JobStage, JobView } from '../../../../main/contract/schemas.ts';
import { createBatchTracker } from '../../../../main/hosts/electron/batch-progress.ts';
import { createNotificationPolicy } from '../../../../main/hosts/electron/notification-policy.ts';
import { stats } from './stats-fixture.ts';

function job(id: string, stage: JobStage, message?: string): JobView {
  return {
    id,
    source: `/photos/${id}.jpg`,
    name: `${id}.jpg`,
    recipe: { model: 'gemini-3-pro-image-preview', prompt: 'watercolour' },
    stage,
    progress: {},
    attempts: 1,
    ...(message && { error: { code: 'not_image', message, retryable: false } }),
    results: [],
    simulated: true,
    held: false,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** The policy fed the way the host feeds it: every stats payload through one batch tracker. */
function harness(failureWindowMs = 1000) {
  const policy = createNotificationPolicy({ failureWindowMs });
  const tracker = createBatchTracker();
  return {
    policy,
    stats: (payload: ReturnType<typeof stats>) => policy.stats(payload, tracker.update(payload)),
  };
}

describe('notifications', () => {
  test('a batch of twenty jobs ends with exactly one notice, none per job', () => {
    const { policy, stats: feed } = harness();
    const told = [...feed(stats({ queued: 20 }))];
    for (let done = 1; done <= 20; done++) {
      policy.job(job(`j${done}`, 'done'), done);
      told.push(...feed(stats({ queued: 20 - done, done })), ...policy.due(done));
    }
    assert.deepEqual(told, [{ title: 'Batch finished', body: '20 done.' }]);
  });

  test('failures mid-batch are told once per window, together, with the first reason', () => {
    const { policy, stats: feed } = harness(1000);
    feed(stats({ queued: 10 }));
    policy.job(job('a', 'failed', 'This file is not an image.'), 100);
    policy.job(job('a', 'failed', 'This file is not an image.'), 150); // the same failure again
    policy.job(job('b', 'failed', 'The image is damaged.'), 400);
    assert.equal(policy.nextDueAt(), 1100);
    assert.deepEqual(policy.due(1099), []);
    assert.deepEqual(policy.due(1100), [
      { title: '2 images failed', body: 'a.jpg: This file is not an image. (and 1 other)' },
    ]);
    assert.equal(policy.nextDueAt(), undefined);
    policy.job(job('c', 'failed', 'Too large.'), 5000);
    assert.deepEqual(policy.due(6000), [{ title: 'An image failed', body: 'c.jpg: Too large.' }]);
  });

  test('failures still pending when the batch ends are folded into its summary', () => {
    const { policy, stats: feed } = harness(60_000);
    feed(stats({ queued: 3 }));
    policy.job(job('a', 'failed', 'This file is not an image.'), 10);
    const told = feed(stats({ done: 2, failed: 1 }));
    assert.deepEqual(told, [
      {
        title: 'Batch finished with failures',
        body: '2 done, 1 failed. a.jpg: This file is not an image.',
      },
    ]);
    assert.equal(policy.nextDueAt(), undefined);
  });

  test('a retried job that fails again is told again', () => {
    const { policy, stats: feed } = harness(1000);
    feed(stats({ queued: 1 }));
    policy.job(job('a', 'failed', 'Server error.'), 0);
    assert.equal(policy.due(1000).length, 1);
    policy.job(job('a', 'queued'), 1500);
    policy.job(job('a', 'failed', 'Server error.'), 2000);
    assert.equal(policy.due(3000).length, 1);
  });

  test('a pause the queue took by itself is told once per batch; a user pause is not told', () => {
    const { stats: feed } = harness();
    assert.deepEqual(feed(stats({ queued: 5 }, 'user')), []);
    assert.deepEqual(feed(stats({ queued: 5 }, 'offline')), [
      {
        title: 'GenQueue paused',
        body: 'APIMart cannot be reached. Jobs stay queued and resume by themselves when the connection is back.',
      },
    ]);
    assert.deepEqual(feed(stats({ queued: 5 }, 'offline')), []);
    assert.deepEqual(feed(stats({ queued: 5 })), []);
    // Flapping back offline in the same batch stays quiet.
    assert.deepEqual(feed(stats({ queued: 5 }, 'offline')), []);
    const disk = feed(stats({ queued: 5 }, 'disk', 'The output folder /mnt/out is gone.'));
    assert.deepEqual(disk, [
      { title: 'GenQueue paused', body: 'The output folder /mnt/out is gone.' },
    ]);
  });

  test('a pause with no work waiting (a first start without a key) says nothing', () => {
    const { stats: feed } = harness();
    assert.deepEqual(feed(stats({}, 'auth')), []);
    assert.deepEqual(feed(stats({ done: 4 }, 'auth')), []);
  });

  test('a batch the user cancelled entirely ends quietly', () => {
    const { stats: feed } = harness();
    feed(stats({ queued: 2 }));
    assert.deepEqual(feed(stats({ cancelled: 2 })), []);
  });
});
