import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  activeCount,
  countLines,
  trayMenuModel,
  trayTooltip,
} from '../../../../main/hosts/electron/queue-summary.ts';
import { stats } from './stats-fixture.ts';

describe('the tray words', () => {
  const busy = stats({
    queued: 12,
    uploading: 2,
    running: 1,
    waiting: 1,
    done: 40,
    failed: 2,
    ambiguous: 1,
  });

  test('counts what is still moving: queued, in every working stage, and waiting to retry', () => {
    assert.equal(activeCount(busy), 16);
    assert.equal(activeCount(stats({ done: 3, failed: 1, cancelled: 2, ambiguous: 1 })), 0);
  });

  test('lists the non-empty groups in a fixed order', () => {
    assert.deepEqual(countLines(busy), [
      '3 in progress',
      '12 queued',
      '1 waiting to retry',
      '1 need a decision',
      '40 done',
      '2 failed',
    ]);
    assert.deepEqual(countLines(stats({})), []);
  });

  test('the tooltip sums up the queue and says why it is paused', () => {
    assert.equal(trayTooltip(undefined), 'GenQueue');
    assert.equal(trayTooltip(stats({})), 'GenQueue — no jobs');
    assert.equal(
      trayTooltip(stats({ running: 2, done: 1 }, 'offline')),
      'GenQueue — 2 in progress · 1 done (paused: offline, resumes by itself)',
    );
  });

  test('the menu offers Pause while running and Resume while paused, with the counts between', () => {
    const running = trayMenuModel(stats({ queued: 3 }));
    assert.deepEqual(running, [
      { kind: 'action', label: 'Show GenQueue', action: 'show' },
      { kind: 'separator' },
      { kind: 'info', label: '3 queued' },
      { kind: 'separator' },
      { kind: 'action', label: 'Pause queue', action: 'pause' },
      { kind: 'separator' },
      { kind: 'action', label: 'Quit GenQueue', action: 'quit' },
    ]);
    const paused = trayMenuModel(stats({ queued: 3 }, 'balance'));
    assert.deepEqual(
      paused.filter((item) => item.kind !== 'separator').map((item) => item.label),
      [
        'Show GenQueue',
        'Paused: APIMart balance used up',
        '3 queued',
        'Resume queue',
        'Quit GenQueue',
      ],
    );
  });

  test('before any stats arrive the menu still shows, pauses and quits', () => {
    const actions = trayMenuModel(undefined).flatMap((item) =>
      item.kind === 'action' ? [item.action] : [],
    );
    assert.deepEqual(actions, ['show', 'pause', 'quit']);
  });
});
