// A full or read-only disk surfaces as one sentence wherever it is thrown (a file write's errno or
// SQLite's result code), never as "Something went wrong inside GenQueue".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEngineError } from '../../../main/contract/errors.ts';

const errno = (code: string) => Object.assign(new Error(`${code}: write failed`), { code });
const sqlite = (errcode: number, text: string) =>
  Object.assign(new Error(text), { code: 'ERR_SQLITE_ERROR', errcode });

test('disk full, read-only and I/O errors each read as one sentence with code io', () => {
  const cases: [unknown, RegExp][] = [
    [errno('ENOSPC'), /^The disk is full: GenQueue could not save its work\./],
    [errno('EDQUOT'), /^The disk is full/],
    [sqlite(13, 'database or disk is full'), /^The disk is full/],
    [errno('EROFS'), /^The disk is read-only: GenQueue could not save its work there\.$/],
    [sqlite(8, 'attempt to write a readonly database'), /^The disk is read-only/],
    [sqlite(1032, 'attempt to write a readonly database'), /^The disk is read-only/],
    [sqlite(778, 'disk I/O error'), /^GenQueue could not write its data \(a disk I\/O error\)/],
  ];
  for (const [thrown, sentence] of cases) {
    const error = toEngineError(thrown);
    assert.equal(error.code, 'io');
    assert.match(error.message, sentence);
  }
  assert.equal(toEngineError(new Error('other')).code, 'internal');
});
