// The simulator's money, as APIMart charges it: a completed task reports its cost (USD and
// credits) and lowers the balance once, however often it is polled; a failed task costs nothing;
// an unlimited balance stays unlimited; a used-up balance refuses paid requests with a 402.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type SimulatorOptions } from '../../main/simulator/simulator.ts';

/** What the tests read of the simulator's answers. */
interface Reply {
  data: Record<string, unknown> & { status?: string; cost?: number; credits_cost?: number };
  remain_balance?: number;
  used_balance?: number;
  unlimited_quota?: boolean;
}

async function sim(t: TestContext, options: SimulatorOptions) {
  const simulator = await startSimulator({ taskDurationMs: 50, resultSize: 32, ...options });
  t.after(() => simulator.close());
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${simulator.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${simulator.apiKey}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Reply };
  };
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const { json } = await call('/v1/images/generations', { prompt: 'p', ...body });
    const data = (Array.isArray(json.data) ? json.data[0] : json.data) as Record<string, unknown>;
    return String(data.task_id ?? data.id);
  };
  return { simulator, call, create };
}

test('a completed task reports its cost once and lowers the balance by it', async (t) => {
  const { call, create } = await sim(t, {
    balance: { remaining: 1, used: 0.5 },
    pricing: { perImageUsd: { 'gemini-3-pro-image-preview': { '1K': 0.0085, '2K': 0.014 } } },
  });
  const id = await create({ model: 'gemini-3-pro-image-preview', resolution: '2K', n: 2 });
  await sleep(80);
  for (let i = 0; i < 3; i++) {
    const { json } = await call(`/v1/tasks/${id}`);
    assert.equal(json.data.status, 'completed');
    assert.equal(json.data.cost, 0.028);
    assert.equal(json.data.credits_cost, 0.28);
  }
  const { json: balance } = await call('/v1/user/balance');
  assert.equal(balance.remain_balance, 0.972);
  assert.equal(balance.used_balance, 0.528);
});

test('a failed task costs nothing; an unlimited balance stays unlimited', async (t) => {
  const { simulator, call, create } = await sim(t, {
    balance: { remaining: -1, used: 0, unlimited: true },
    pricing: { perImageUsd: 0.02 },
  });
  simulator.setFaults({ taskFailure: 'content policy' });
  const failed = await create({ model: 'm' });
  simulator.resetFaults();
  const made = await create({ model: 'm' });
  await sleep(80);
  assert.equal((await call(`/v1/tasks/${failed}`)).json.data.cost, 0);
  assert.equal((await call(`/v1/tasks/${made}`)).json.data.cost, 0.02);
  const { json: balance } = await call('/v1/balance');
  assert.deepEqual(
    [balance.remain_balance, balance.unlimited_quota, balance.used_balance],
    [-1, true, 0.02],
  );
});

test('a balance used up refuses paid requests with 402; tasks can hide their cost', async (t) => {
  const { call, create } = await sim(t, {
    balance: { remaining: 0.02, used: 0 },
    pricing: { perImageUsd: 0.02, reportCost: false },
  });
  const id = await create({ model: 'm' });
  await sleep(80);
  assert.equal('cost' in (await call(`/v1/tasks/${id}`)).json.data, false);
  const refused = await call('/v1/images/generations', { model: 'm', prompt: 'p' });
  assert.equal(refused.status, 402);
  assert.match(JSON.stringify(refused.json), /insufficient balance/);
});
