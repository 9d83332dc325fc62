import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createBatchTracker,
  taskbarProgress,
} from '../../../../main/hosts/electron/batch-progress.ts';
import { stats } from './stats-fixture.ts';

describe('a batch', () => {
  test('starts when work arrives, counts only its own jobs, and ends with a summary', () => {
    const tracker = createBatchTracker();
    // 7 jobs finished long ago: not part of the batch.
    assert.deepEqual(tracker.update(stats({ done: 5, failed: 2 })), {
      running: false,
      fraction: 0,
      failed: 0,
    });
    assert.deepEqual(tracker.update(stats({ done: 5, failed: 2, queued: 4 })), {
      running: true,
      fraction: 0,
      failed: 0,
    });
    assert.deepEqual(tracker.update(stats({ done: 6, failed: 2, running: 3 })), {
      running: true,
      fraction: 0.25,
      failed: 0,
    });
    assert.deepEqual(tracker.update(stats({ done: 7, failed: 3, running: 1, ambiguous: 0 })), {
      running: true,
      fraction: 0.75,
      failed: 1,
    });
    const end = tracker.update(stats({ done: 7, failed: 3, ambiguous: 1 }));
    assert.deepEqual(end, {
      running: false,
      fraction: 0,
      failed: 0,
      ended: { done: 2, failed: 1, cancelled: 0, needsDecision: 1 },
    });
    // The next batch starts from the new totals.
    tracker.update(stats({ done: 7, failed: 3, ambiguous: 1, queued: 1 }));
    assert.deepEqual(tracker.update(stats({ done: 8, failed: 3, ambiguous: 1 })).ended, {
      done: 1,
      failed: 0,
      cancelled: 0,
      needsDecision: 0,
    });
  });

  test('a retried failure and cleared history never push a count below zero', () => {
    const tracker = createBatchTracker();
    tracker.update(stats({ done: 10, failed: 2, queued: 1 }));
    // The user retries both failures and clears finished jobs.
    const update = tracker.update(stats({ queued: 3 }));
    assert.equal(update.fraction, 0);
    const end = tracker.update(stats({ done: 2, failed: 1 }));
    assert.deepEqual(end.ended, { done: 2, failed: 1, cancelled: 0, needsDecision: 0 });
  });

  test('a batch in which nothing finished (everything removed) ends without a summary', () => {
    const tracker = createBatchTracker();
    tracker.update(stats({ queued: 3 }));
    assert.equal(tracker.update(stats({})).ended, undefined);
  });
});

describe('taskbar progress', () => {
  test('shows nothing when idle, indeterminate before the first job finishes, then the share', () => {
    assert.deepEqual(taskbarProgress({ running: false, fraction: 0, failed: 0 }, false), {
      value: -1,
      mode: 'none',
    });
    assert.deepEqual(taskbarProgress({ running: true, fraction: 0, failed: 0 }, false), {
      value: 2,
      mode: 'indeterminate',
    });
    assert.deepEqual(taskbarProgress({ running: true, fraction: 0.4, failed: 0 }, false), {
      value: 0.4,
      mode: 'normal',
    });
  });

  test('uses the error colour once part of the batch failed, the paused one while paused', () => {
    assert.equal(taskbarProgress({ running: true, fraction: 0.4, failed: 1 }, false).mode, 'error');
    assert.deepEqual(taskbarProgress({ running: true, fraction: 0, failed: 0 }, true), {
      value: 0.01,
      mode: 'paused',
    });
  });
});
