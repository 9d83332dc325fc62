// The results grid's rows (group headers, then results a row of `columns` at a time) and where the
// arrow and page keys take focus through them, headers skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gridRows, moveInGrid, rowOf } from '../../../../renderer/src/lib/grid-layout.ts';

const groups = [
  { key: 'a', count: 5 },
  { key: 'b', count: 2 },
];

test('each group starts with a header and fills rows of its own', () => {
  assert.deepEqual(gridRows(7, groups, 3), [
    { kind: 'header', group: groups[0], start: 0 },
    { kind: 'cells', start: 0, end: 3 },
    { kind: 'cells', start: 3, end: 5 },
    { kind: 'header', group: groups[1], start: 5 },
    { kind: 'cells', start: 5, end: 7 },
  ]);
  assert.equal(gridRows(7, [], 3).length, 3);
});

test('rowOf finds the row of a result, never a header', () => {
  const rows = gridRows(7, groups, 3);
  assert.deepEqual(
    [0, 2, 3, 4, 5, 6, 7].map((item) => rowOf(rows, item)),
    [1, 1, 2, 2, 4, 4, -1],
  );
});

test('up and down keep the column, clamp to short rows and skip headers', () => {
  const rows = gridRows(7, groups, 3);
  assert.equal(moveInGrid(rows, 2, 'down', 7, 1), 4, 'column 3 of a row of 2: its last');
  assert.equal(moveInGrid(rows, 4, 'down', 7, 1), 6, 'across the header of group b');
  assert.equal(moveInGrid(rows, 5, 'up', 7, 1), 3);
  assert.equal(moveInGrid(rows, 1, 'up', 7, 1), 1, 'nothing above the first row');
  assert.equal(moveInGrid(rows, 0, 'pageDown', 7, 5), 5);
  assert.equal(moveInGrid(rows, 6, 'right', 7, 1), 6);
  assert.equal(moveInGrid(rows, 6, 'home', 7, 1), 0);
});
