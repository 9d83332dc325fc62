// The simulator's 2026 idempotency contract over real HTTP (APIMART.md §7): replays,
// each 409 and the 503, the three `keys` modes, the response-version echo and 2026 shapes, lost
// answers that a replay recovers, synchronous results, and what the stats record of each create.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { RESPONSE_VERSION, type Simulator } from '../../main/simulator/simulator.ts';
import { call, postTask, useSimulator, waitForTask } from '../support/simulator-harness.ts';

const BODY = { model: 'gpt-image-2', prompt: 'a lighthouse at dusk', n: 1 };
const VERSION = { 'x-apimart-response-version': RESPONSE_VERSION };

/** A create with a key (and, unless told otherwise, the 2026 response version). */
function keyed(
  simulator: Simulator,
  key: string,
  body: Record<string, unknown> = BODY,
  headers: Record<string, string> = VERSION,
): Promise<Response> {
  return postTask(simulator, body, { headers: { 'idempotency-key': key, ...headers } });
}

interface Ticket {
  request_id: string;
  data: { object: string; id: string; status: string };
}

async function errorCode(response: Response): Promise<Record<string, string>> {
  return ((await response.json()) as { error: Record<string, string> }).error;
}

const sha256 = (body: unknown): string =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

describe('keys honoured (the default)', () => {
  test('a repeat with the same key and bytes replays the first answer and makes no task', async (t) => {
    const simulator = await useSimulator(t);
    const first = await keyed(simulator, 'key-1');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotency-replayed'), null);
    const ticket = (await first.json()) as Ticket;
    assert.match(ticket.request_id, /^req_/);
    assert.deepEqual(Object.keys(ticket), ['request_id', 'data']);
    assert.equal(ticket.data.object, 'generation.task');
    assert.equal(ticket.data.status, 'submitted');
    assert.match(ticket.data.id, /^task_/);

    const again = await keyed(simulator, 'key-1');
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotency-replayed'), 'true');
    assert.deepEqual(await again.json(), ticket);

    const stats = simulator.stats();
    assert.equal(stats.tasks.length, 1);
    assert.equal(stats.tasks[0]?.idempotencyKey, 'key-1');
    assert.equal(stats.replays, 1);
    assert.equal(stats.duplicateSubmissions, 0, 'a replay is not a duplicate');
    assert.deepEqual(
      stats.creates.map(({ key, bodySha256, outcome, error, taskId }) => ({
        key,
        bodySha256,
        outcome,
        error,
        taskId,
      })),
      [
        {
          key: 'key-1',
          bodySha256: sha256(BODY),
          outcome: 'created',
          error: null,
          taskId: ticket.data.id,
        },
        {
          key: 'key-1',
          bodySha256: sha256(BODY),
          outcome: 'replayed',
          error: null,
          taskId: ticket.data.id,
        },
      ],
    );
  });

  test('the same key with other bytes (even the same JSON reordered) is 409 idempotency_key_reused', async (t) => {
    const simulator = await useSimulator(t);
    assert.equal((await keyed(simulator, 'key-2')).status, 200);
    const reordered = { n: 1, prompt: BODY.prompt, model: BODY.model };
    for (const body of [reordered, { ...BODY, prompt: 'another picture' }]) {
      const reused = await keyed(simulator, 'key-2', body);
      assert.equal(reused.status, 409);
      assert.equal(reused.headers.get('x-apimart-response-version'), RESPONSE_VERSION);
      const error = await errorCode(reused);
      assert.deepEqual(Object.keys(error), ['code', 'message', 'type']);
      assert.equal(error.code, 'idempotency_key_reused');
      assert.equal(error.type, 'idempotency_error');
    }
    const stats = simulator.stats();
    assert.equal(stats.tasks.length, 1);
    assert.deepEqual(
      stats.creates.map((c) => [c.outcome, c.error]),
      [
        ['created', null],
        ['conflict', 'idempotency_key_reused'],
        ['conflict', 'idempotency_key_reused'],
      ],
    );
  });

  test('a repeat while the first request is still being processed is 409 idempotency_in_progress', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ latencyMs: 300 });
    const first = keyed(simulator, 'key-3');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await keyed(simulator, 'key-3');
    assert.equal(second.status, 409);
    assert.equal((await errorCode(second)).code, 'idempotency_in_progress');
    assert.equal((await first).status, 200);
    simulator.setFaults({ latencyMs: 0 });
    const third = await keyed(simulator, 'key-3');
    assert.equal(third.headers.get('idempotency-replayed'), 'true');
    assert.equal(simulator.stats().tasks.length, 1);
  });

  test('keyConflict refuses the next keyed creates unexecuted: 503 unavailable, 409 in progress', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ keyConflict: { kind: 'unavailable', count: 2 } });
    for (const key of ['key-4', 'key-4']) {
      const refused = await keyed(simulator, key);
      assert.equal(refused.status, 503);
      assert.deepEqual(await errorCode(refused), {
        code: 'idempotency_unavailable',
        message:
          'idempotency is temporarily unavailable; the request was not executed and is safe to retry',
        type: 'idempotency_error',
      });
    }
    assert.equal(simulator.stats().tasks.length, 0, 'nothing executed');
    const through = await keyed(simulator, 'key-4');
    assert.equal(through.status, 200, 'then normal, and the key was not recorded');
    assert.equal(through.headers.get('idempotency-replayed'), null);

    simulator.setFaults({ keyConflict: { kind: 'in-progress', count: 1 } });
    const unkeyed = await postTask(simulator, BODY);
    assert.equal(unkeyed.status, 200, 'a create without a key is not refused');
    const busy = await keyed(simulator, 'key-5');
    assert.equal(busy.status, 409);
    assert.equal((await errorCode(busy)).code, 'idempotency_in_progress');
    assert.equal((await keyed(simulator, 'key-5')).status, 200);
    assert.deepEqual(
      simulator.stats().creates.map((c) => c.outcome),
      ['unavailable', 'unavailable', 'created', 'created', 'conflict', 'created'],
    );
  });

  test('the response version is echoed on every answer to whoever sent it, errors included', async (t) => {
    const simulator = await useSimulator(t);
    const id = ((await (await keyed(simulator, 'key-6')).json()) as Ticket).data.id;
    for (const [route, init] of [
      [`/v1/tasks/${id}`, {}],
      ['/v1/tasks/task_01NOPE', {}],
      ['/v1/balance', { headers: { authorization: 'Bearer wrong' } }],
    ] as const) {
      const withVersion = await call(simulator, route, {
        headers: { ...VERSION, ...('headers' in init ? init.headers : {}) },
      });
      assert.equal(withVersion.headers.get('x-apimart-response-version'), RESPONSE_VERSION, route);
      await withVersion.body?.cancel();
      const without = await call(simulator, route, init);
      assert.equal(without.headers.get('x-apimart-response-version'), null, route);
      await without.body?.cancel();
    }
    const other = await keyed(simulator, 'key-7', BODY, {
      'x-apimart-response-version': '2025-01-01',
    });
    assert.equal(other.headers.get('x-apimart-response-version'), null);
    assert.equal(((await other.json()) as { code: number }).code, 200, "today's shape");
  });

  test("a keyed create without the version header gets today's shape, and its replay", async (t) => {
    const simulator = await useSimulator(t, { shapes: { createTask: 'object' } });
    const first = await keyed(simulator, 'key-8', BODY, {});
    const answer = (await first.json()) as { code: number; data: { id: string } };
    assert.equal(answer.code, 200);
    assert.equal(first.headers.get('x-apimart-response-version'), null);
    const again = await keyed(simulator, 'key-8', BODY, {});
    assert.equal(again.headers.get('idempotency-replayed'), 'true');
    assert.deepEqual(await again.json(), answer);
  });

  test('a key that is not 1–191 visible ASCII characters is a 400', async (t) => {
    const simulator = await useSimulator(t);
    const response = await keyed(simulator, 'x'.repeat(192));
    assert.equal(response.status, 400);
    assert.equal((await errorCode(response)).type, 'invalid_request_error');
    assert.equal(simulator.stats().creates[0]?.outcome, 'invalid');
    assert.equal(simulator.stats().tasks.length, 0);
  });
});

describe('other key modes', () => {
  test('ignore: no echo, every create makes a task, today shapes', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ keys: 'ignore' });
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const response = await keyed(simulator, 'key-9');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-apimart-response-version'), null);
      assert.equal(response.headers.get('idempotency-replayed'), null);
      answers.push((await response.json()) as { code: number; data: { task_id: string }[] });
    }
    assert.equal(answers[0]?.code, 200);
    assert.notEqual(answers[0]?.data[0]?.task_id, answers[1]?.data[0]?.task_id);
    const stats = simulator.stats();
    assert.equal(stats.tasks.length, 2);
    assert.equal(stats.duplicateSubmissions, 1, 'paid twice');
    assert.deepEqual(
      stats.creates.map((c) => [c.key, c.outcome]),
      [
        ['key-9', 'created'],
        ['key-9', 'created'],
      ],
    );
    simulator.setFaults({ keys: 'honour' });
    assert.equal(
      (await keyed(simulator, 'key-9')).headers.get('idempotency-replayed'),
      null,
      'a key seen while ignored was never recorded',
    );
  });

  test('indeterminate: the first use works, any repeat is 409 idempotency_result_indeterminate', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ keys: 'indeterminate' });
    const first = await keyed(simulator, 'key-10');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-apimart-response-version'), RESPONSE_VERSION);
    for (const body of [BODY, { ...BODY, prompt: 'changed' }]) {
      const repeat = await keyed(simulator, 'key-10', body);
      assert.equal(repeat.status, 409);
      assert.equal((await errorCode(repeat)).code, 'idempotency_result_indeterminate');
    }
    assert.equal(simulator.stats().tasks.length, 1);
  });
});

describe('lost answers and synchronous results', () => {
  test('a lost answer: the task is made, the socket closed, and a replay returns that task', async (t) => {
    const simulator = await useSimulator(t, { taskDurationMs: 100 });
    simulator.setFaults({ lostAnswerRate: 1 });
    await assert.rejects(keyed(simulator, 'key-11'), TypeError);
    const stats = simulator.stats();
    assert.equal(stats.tasks.length, 1);
    assert.equal(stats.lostAnswers, 1);
    assert.deepEqual(
      stats.requests.map((r) => r.status),
      [0],
    );
    assert.equal(stats.creates[0]?.outcome, 'lost');
    const made = stats.tasks[0]?.id;
    const replay = await keyed(simulator, 'key-11');
    assert.equal(replay.status, 200, 'a replay makes no task, so its answer is never lost');
    assert.equal(replay.headers.get('idempotency-replayed'), 'true');
    assert.equal(((await replay.json()) as Ticket).data.id, made);
    assert.equal(simulator.stats().tasks.length, 1);
    assert.equal((await waitForTask(simulator, made ?? '')).status, 'completed');
  });

  test('lost answers come from dice of their own: the same seed loses the same creates', async (t) => {
    const run = async () => {
      const simulator = await useSimulator(t);
      simulator.setFaults({ lostAnswerRate: 0.5, serverErrorRate: 0.2, seed: 11 });
      const outcomes: string[] = [];
      for (let i = 0; i < 24; i++) {
        const response = await postTask(simulator, { ...BODY, prompt: `p${i}` }).catch(() => null);
        outcomes.push(response === null ? 'lost' : String(response.status));
        await response?.body?.cancel();
      }
      return outcomes;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(
      first.includes('lost') && first.includes('200') && first.includes('500'),
      first.join(),
    );
  });

  test('syncResults answers a versioned create with its finished images, which download', async (t) => {
    const simulator = await useSimulator(t, { resultSize: 64 });
    simulator.setFaults({ syncResults: true });
    const response = await keyed(simulator, 'key-12', {
      ...BODY,
      model: 'gpt-image-2-official',
      n: 2,
      size: '16:9',
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as {
      request_id: string;
      data: {
        object: string;
        id: string;
        status: string;
        result: { images: { url: string; expires_at: number }[] };
      };
    };
    assert.match(answer.request_id, /^req_/);
    assert.equal(answer.data.object, 'generation.result');
    assert.equal(answer.data.status, 'completed');
    assert.equal(answer.data.result.images.length, 2);
    for (const image of answer.data.result.images) {
      assert.ok(image.expires_at > Date.now() / 1000);
      const download = await fetch(image.url);
      assert.equal(download.status, 200);
      const meta = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 64, 36]);
    }
    const polled = (await (await call(simulator, `/v1/tasks/${answer.data.id}`)).json()) as {
      data: { status: string };
    };
    assert.equal(polled.data.status, 'completed', 'the task was born completed');
    const unversioned = (await (await postTask(simulator, BODY)).json()) as { code?: number };
    assert.equal(unversioned.code, 200, 'without the version header: a task to poll, as today');
  });
});
