// groupFailures: failed jobs share a group when their codes match and, for a refusal, the
// service's words match; groups come largest first with their ids in order and a plain label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineError } from '../../../../main/contract/errors.ts';
import { groupFailures } from '../../../../main/engine/jobs/failure-groups.ts';

const refused = (words: string) =>
  engineError('task_failed', `APIMart could not make the image: "${words}".`, { detail: words });

test('failures are grouped by code and by the service’s words, largest group first', () => {
  const groups = groupFailures([
    { id: 'a', error: engineError('not_image', 'a.png is not an image: it is a PDF document.') },
    { id: 'b', error: refused('Refused by the content policy.') },
    { id: 'c', error: refused('refused by the content policy') },
    { id: 'd', error: refused('Model overloaded') },
    { id: 'e', error: refused('Refused by the content policy.') },
    { id: 'f', error: engineError('network', 'Offline.', { retryable: true }) },
    { id: 'g', error: null },
  ]);
  assert.deepEqual(
    groups.map((group) => [group.label, group.count, group.ids.join('')]),
    [
      ['Refused by the content policy', 3, 'bce'],
      ['not an image', 1, 'a'],
      ['Model overloaded', 1, 'd'],
      ['network trouble', 1, 'f'],
      ['something unexpected went wrong', 1, 'g'],
    ],
  );
  assert.equal(groups[0]?.code, 'task_failed');
  assert.equal(
    groups[0]?.example,
    'APIMart could not make the image: "Refused by the content policy.".',
  );
  assert.equal(groups.find((group) => group.code === 'network')?.retryable, true);
  assert.equal(groups.find((group) => group.code === 'not_image')?.retryable, false);
});

test('a refusal without words groups by its code, and long words are cut', () => {
  const long = 'x'.repeat(200);
  const groups = groupFailures([
    { id: 'a', error: engineError('task_failed', 'APIMart could not make the image.') },
    { id: 'b', error: refused(long) },
  ]);
  assert.equal(groups[0]?.label, 'APIMart could not make the image');
  assert.equal(groups[1]?.label.length, 80);
  assert.ok(groups[1]?.label.endsWith('…'));
});
