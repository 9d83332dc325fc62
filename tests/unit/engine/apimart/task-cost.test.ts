// A task's cost as APIMart may report it (APIMART.md §7, unconfirmed): `cost` in USD, else
// `credits_cost` at 10 credits a dollar; absent, nonsense or negative: not known.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTaskReply } from '../../../../main/engine/apimart/replies.ts';

const task = (extra: Record<string, unknown>): string =>
  JSON.stringify({
    code: 200,
    data: {
      id: 't',
      status: 'completed',
      result: { images: [{ url: 'https://x/a.png' }] },
      ...extra,
    },
  });

test('cost in USD, credits_cost at ten a dollar, cost preferred', () => {
  assert.equal(parseTaskReply(task({ cost: 0.021 })).cost, 0.021);
  assert.equal(parseTaskReply(task({ credits_cost: 0.4 })).cost, 0.04);
  assert.equal(parseTaskReply(task({ cost: '0.03', credits_cost: 9 })).cost, 0.03);
});

test('no cost, or one that makes no sense, is not a cost', () => {
  assert.equal('cost' in parseTaskReply(task({})), false);
  assert.equal('cost' in parseTaskReply(task({ cost: 'free' })), false);
  assert.equal('cost' in parseTaskReply(task({ cost: -1 })), false);
  assert.equal(parseTaskReply(task({ cost: 0 })).cost, 0);
});
