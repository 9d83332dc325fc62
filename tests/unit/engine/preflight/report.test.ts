import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, formatBytes } from '../../../../main/engine/preflight/pipeline/report.ts';

test('the summary reads like "38.2 MB PNG → 14.9 MB JPEG, rotated, GPS removed"', () => {
  const report = buildReport(
    { format: 'PNG', width: 8000, height: 6000, bytes: 38_200_000 },
    { format: 'JPEG', width: 6000, height: 8000, bytes: 14_900_000 },
    [
      { tag: '', detail: 'converted from PNG' },
      { tag: 'rotated', detail: 'rotated upright (EXIF orientation 6)' },
      { tag: 'GPS removed', detail: 'removed the GPS location' },
      { tag: 'rotated', detail: 'duplicate tag' },
    ],
    false,
  );
  assert.equal(report.summary, '38.2 MB PNG → 14.9 MB JPEG, rotated, GPS removed');
  assert.equal(report.changes.length, 4);
});

test('an untouched file says so', () => {
  const facts = { format: 'JPEG', width: 10, height: 10, bytes: 812_000 };
  const report = buildReport(facts, facts, [], true);
  assert.equal(report.summary, '812 KB JPEG, unchanged');
  assert.match(report.changes[0] ?? '', /byte for byte/);
  assert.equal(formatBytes(999), '999 bytes');
});
