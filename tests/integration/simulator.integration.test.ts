// The APIMart simulator over real HTTP: every documented shape, the upload checks, auth, each
// fault kind, result expiry, duplicate counting, load, and a close() that leaves nothing behind.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { EngineFailure } from '../../main/contract/errors.ts';
import { startSimulator, type Simulator } from '../../main/simulator/simulator.ts';
import { until } from '../support/until.ts';
import {
  call,
  createTask,
  postTask,
  taskIdOf,
  uploadBytes,
  uploadUrl,
  useSimulator,
  waitForTask,
} from '../support/simulator-harness.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(repoRoot, 'tests/fixtures/corpus');
const FAST = { taskDurationMs: 100 };

const makeImage = (format: 'jpeg' | 'png' | 'gif' | 'webp', width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 30 } } })
    .toFormat(format)
    .toBuffer();

async function errorOf(response: Response): Promise<{ message: string; type: string }> {
  const body = (await response.json()) as { error: { message: string; type: string } };
  return body.error;
}

async function referenceUrl(simulator: Simulator): Promise<string> {
  return uploadUrl(simulator, await makeImage('png', 300, 200), 'ref.png');
}

describe('uploads', () => {
  for (const format of ['jpeg', 'png', 'gif', 'webp'] as const) {
    test(`accepts ${format} by its bytes and serves it back`, async (t) => {
      const simulator = await useSimulator(t);
      const bytes = await makeImage(format);
      const response = await uploadBytes(simulator, bytes, 'misleading-name.txt');
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.content_type, `image/${format}`);
      assert.equal(body.bytes, bytes.length);
      assert.equal(typeof body.created_at, 'number');
      assert.match(String(body.url), new RegExp(`^${simulator.url}/files/uploads/`));
      const served = Buffer.from(await (await fetch(String(body.url))).arrayBuffer());
      assert.deepEqual(served, bytes);
      const [upload] = simulator.stats().uploads;
      assert.equal(upload?.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(upload?.filename, 'misleading-name.txt');
    });
  }

  test('accepts a real camera JPEG from the corpus', async (t) => {
    const simulator = await useSimulator(t);
    const bytes = await sharp(path.join(corpus, 'jpg/Canon_40D.jpg')).toBuffer();
    assert.equal((await uploadBytes(simulator, bytes, 'Canon_40D.jpg')).status, 200);
  });

  test('refuses a text file, naming its type', async (t) => {
    const simulator = await useSimulator(t);
    const response = await uploadBytes(simulator, Buffer.from('hello, not a picture\n'), 'a.jpg');
    assert.equal(response.status, 400);
    assert.deepEqual(await errorOf(response), {
      message: 'unsupported image type: text/plain; charset=utf-8, allowed: jpeg, png, gif, webp',
      type: 'invalid_request_error',
    });
    assert.equal(simulator.stats().uploads.length, 0);
  });

  test('refuses a 21 MB file with 413 and keeps nothing of it', async (t) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sim-test-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const simulator = await useSimulator(t, { dataDir });
    const bytes = Buffer.alloc(21 * 1024 * 1024);
    (await makeImage('jpeg')).copy(bytes);
    const response = await uploadBytes(simulator, bytes, 'huge.jpg');
    assert.equal(response.status, 413);
    assert.equal(
      (await errorOf(response)).message,
      `file size ${bytes.length} exceeds maximum 20971520 bytes`,
    );
    assert.deepEqual(await readdir(path.join(dataDir, 'uploads')), []);
  });

  test('answers 413 before a 200 MB streamed upload has finished sending', async (t) => {
    const simulator = await useSimulator(t);
    const total = 200 * 1024 * 1024;
    let sent = 0;
    const boundary = 'sim-boundary';
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\n\r\n`;
        controller.enqueue(Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xd8, 0xff])]));
      },
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const upload = new AbortController();
    const response = await call(simulator, '/v1/uploads/images', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
      signal: upload.signal,
    } as RequestInit);
    const answeredAt = sent;
    assert.equal(response.status, 413);
    assert.match((await errorOf(response)).message, /exceeds maximum 20971520 bytes/);
    upload.abort();
    assert.ok(answeredAt < total, `the answer came only after all ${answeredAt} bytes`);
  });

  test('refuses a form without the file field, and a body that is not multipart', async (t) => {
    const simulator = await useSimulator(t);
    const form = new FormData();
    form.append('image', new Blob([await makeImage('png')]), 'a.png');
    const missing = await call(simulator, '/v1/uploads/images', { method: 'POST', body: form });
    assert.equal(missing.status, 400);
    assert.match((await errorOf(missing)).message, /missing file field/);
    const json = await call(simulator, '/v1/uploads/images', { method: 'POST', body: '{}' });
    assert.equal(json.status, 400);
    assert.match((await errorOf(json)).message, /multipart\/form-data/);
  });
});

describe('tasks', () => {
  test('create answers in the array shape, the object shape, or alternately', async (t) => {
    const body = { model: 'gpt-image-2', prompt: 'a cat' };
    for (const [shape, expected] of [
      ['array', ['array', 'array']],
      ['object', ['object', 'object']],
      ['alternate', ['array', 'object', 'array']],
    ] as const) {
      const simulator = await useSimulator(t, { shapes: { createTask: shape } });
      for (const want of expected) {
        const answer = (await (await postTask(simulator, body)).json()) as {
          code: number;
          data: unknown;
        };
        assert.equal(answer.code, 200);
        assert.equal(Array.isArray(answer.data) ? 'array' : 'object', want, shape);
        assert.match(taskIdOf(answer), /^task_01/);
        if (!Array.isArray(answer.data)) {
          const data = answer.data as Record<string, unknown>;
          assert.equal(data.status, 'submitted');
          assert.equal(typeof data.estimated_time, 'number');
        }
      }
    }
  });

  test('a task climbs from pending to completed with one image per n', async (t) => {
    const simulator = await useSimulator(t, { taskDurationMs: 300 });
    const id = await createTask(simulator, {
      model: 'm',
      prompt: 'p',
      n: 3,
      image_urls: [{ url: await referenceUrl(simulator) }],
    });
    const first = (await (await call(simulator, `/v1/tasks/${id}?language=en`)).json()) as {
      data: { status: string; progress: number; estimated_time: number; created: number };
    };
    assert.ok(['pending', 'processing'].includes(first.data.status));
    assert.ok(first.data.progress < 100);
    assert.equal(first.data.estimated_time, 1);
    const done = await waitForTask(simulator, id);
    assert.equal(done.status, 'completed');
    assert.equal(done.progress, 100);
    assert.equal(typeof done.actual_time, 'number');
    assert.ok((done.completed ?? 0) >= first.data.created);
    assert.equal(done.result?.images.length, 3);
    for (const image of done.result?.images ?? []) {
      assert.equal(typeof image.url, 'string');
      assert.ok(image.expires_at > Date.now() / 1000);
    }
  });

  test('result URLs come as strings, arrays, or alternately', async (t) => {
    for (const [shape, expected] of [
      ['string', ['string', 'string']],
      ['array', ['object', 'object']],
      ['alternate', ['object', 'string', 'object']], // waitForTask saw the first, a string
    ] as const) {
      const simulator = await useSimulator(t, { ...FAST, shapes: { resultUrl: shape } });
      const id = await createTask(simulator, { model: 'm', prompt: 'p' });
      await waitForTask(simulator, id);
      for (const want of expected) {
        const { data } = (await (await call(simulator, `/v1/tasks/${id}`)).json()) as {
          data: { result: { images: { url: unknown }[] } };
        };
        const url = data.result.images[0]?.url;
        assert.equal(typeof url, want, shape);
        if (Array.isArray(url)) assert.match(String(url[0]), /\/files\/results\/.+-0\.png$/);
      }
    }
  });

  test('results are marked images at the requested ratio, made from the first input', async (t) => {
    const simulator = await useSimulator(t, FAST);
    const ref = await referenceUrl(simulator);
    const wide = await waitForTask(
      simulator,
      await createTask(simulator, {
        model: 'm',
        prompt: 'p',
        size: '16:9',
        n: 2,
        image_urls: [ref],
      }),
    );
    const sameRatio = await waitForTask(
      simulator,
      await createTask(simulator, { model: 'm', prompt: 'p', image_urls: [ref] }),
    );
    const blank = await waitForTask(
      simulator,
      await createTask(simulator, { model: 'm', prompt: 'p' }),
    );
    const fetchImage = async (url: string | string[] | undefined) =>
      Buffer.from(await (await fetch(String(url))).arrayBuffer());
    const [first, second] = await Promise.all(
      wide.result?.images.map((i) => fetchImage(i.url)) ?? [],
    );
    assert.ok(first && second);
    assert.deepEqual(
      [(await sharp(first).metadata()).width, (await sharp(first).metadata()).height],
      [1024, 576],
    );
    assert.notDeepEqual(first, second, 'each of n results differs');
    const same = await sharp(await fetchImage(sameRatio.result?.images[0]?.url)).metadata();
    assert.deepEqual([same.width, same.height, same.format], [1024, 683, 'png']);
    const plain = await sharp(await fetchImage(blank.result?.images[0]?.url)).metadata();
    assert.deepEqual([plain.width, plain.height], [1024, 1024]);
  });

  test('create validates its body like the real service', async (t) => {
    const simulator = await useSimulator(t);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ prompt: 'p' }, /model is required/],
      [{ model: 'm' }, /prompt is required/],
      [{ model: 'm', prompt: 'p', n: '2' }, /n must be a number/],
      [{ model: 'm', prompt: 'p', size: 'wide' }, /size must be/],
      [{ model: 'm', prompt: 'p', image_urls: 'x' }, /image_urls must be an array/],
      [
        { model: 'm', prompt: 'p', image_urls: ['https://elsewhere.example/a.png'] },
        /^image_urls\[0\] could not be fetched$/,
      ],
      [{ model: 'm', prompt: 'p', mask_url: 'https://elsewhere.example/m.png' }, /mask_url/],
    ];
    for (const [body, message] of cases) {
      const response = await postTask(simulator, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match((await errorOf(response)).message, message);
    }
    const broken = await call(simulator, '/v1/images/generations', { method: 'POST', body: '{' });
    assert.equal(broken.status, 400);
    assert.equal(simulator.stats().tasks.length, 0);
  });

  test('an unknown task is a 404 with an error body', async (t) => {
    const simulator = await useSimulator(t);
    const response = await call(simulator, '/v1/tasks/task_01NOPE');
    assert.equal(response.status, 404);
    assert.equal((await errorOf(response)).type, 'invalid_request_error');
  });

  test('a result URL stops working after its time to live', async (t) => {
    const simulator = await useSimulator(t, { taskDurationMs: 50, resultTtlMs: 300 });
    const done = await waitForTask(
      simulator,
      await createTask(simulator, { model: 'm', prompt: 'p' }),
    );
    const url = String(done.result?.images[0]?.url);
    assert.equal((await fetch(url)).status, 200);
    await sleep(350);
    const expired = await fetch(url);
    assert.equal(expired.status, 404);
    assert.match((await errorOf(expired)).message, /expired/);
  });

  test('identical create bodies are counted as duplicate submissions', async (t) => {
    const simulator = await useSimulator(t);
    const ref = await referenceUrl(simulator);
    await createTask(simulator, { model: 'm', prompt: 'p', n: 1, image_urls: [ref] });
    await createTask(simulator, { image_urls: [ref], n: 1, prompt: 'p', model: 'm' });
    await createTask(simulator, { model: 'm', prompt: 'another', n: 1, image_urls: [ref] });
    const stats = simulator.stats();
    assert.equal(stats.tasks.length, 3);
    assert.equal(stats.duplicateSubmissions, 1);
    assert.deepEqual(stats.tasks[0]?.imageUrls, [ref]);
  });

  test('balance answers on both routes', async (t) => {
    const simulator = await useSimulator(t, { balance: { remaining: 12.5, used: 3 } });
    for (const route of ['/v1/user/balance', '/v1/balance']) {
      assert.deepEqual(await (await call(simulator, route)).json(), {
        success: true,
        remain_balance: 12.5,
        used_balance: 3,
        unlimited_quota: false,
      });
    }
  });
});

describe('faults', () => {
  test('offline destroys every connection, open ones included, until it is lifted', async (t) => {
    const simulator = await useSimulator(t);
    assert.equal((await call(simulator, '/v1/balance')).status, 200); // leaves a keep-alive socket
    simulator.setFaults({ offline: true });
    await assert.rejects(call(simulator, '/v1/balance'), TypeError);
    await assert.rejects(fetch(`${simulator.url}/files/results/task_01X-0.png`), TypeError);
    simulator.resetFaults();
    assert.equal((await call(simulator, '/v1/balance')).status, 200);
  });

  test('auth answers 401 even to the right key; a wrong or missing key is always 401', async (t) => {
    const simulator = await useSimulator(t, { apiKey: 'right' });
    for (const authorization of ['Bearer wrong', '']) {
      const response = await call(simulator, '/v1/balance', { headers: { authorization } });
      assert.equal(response.status, 401);
      assert.equal((await errorOf(response)).type, 'authentication_error');
    }
    assert.equal((await call(simulator, '/v1/balance')).status, 200);
    simulator.setFaults({ auth: true });
    assert.equal((await call(simulator, '/v1/balance')).status, 401);
  });

  test('balance refuses paid requests with 402 and reports nothing left', async (t) => {
    const simulator = await useSimulator(t, FAST);
    const id = await createTask(simulator, { model: 'm', prompt: 'p' });
    simulator.setFaults({ balance: true });
    for (const response of [
      await uploadBytes(simulator, await makeImage('png'), 'a.png'),
      await postTask(simulator, { model: 'm', prompt: 'p' }),
    ]) {
      assert.equal(response.status, 402);
      assert.deepEqual(Object.keys(await errorOf(response)), ['message', 'type']);
    }
    assert.equal((await waitForTask(simulator, id)).status, 'completed');
    const balance = (await (await call(simulator, '/v1/balance')).json()) as Record<
      string,
      unknown
    >;
    assert.equal(balance.remain_balance, 0);
  });

  test('rate limit answers 429 with Retry-After and counts calls inside the window', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ rateLimit: { retryAfterSeconds: 1, rate: 1 } });
    const limited = await call(simulator, '/v1/balance');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal((await errorOf(limited)).type, 'rate_limit_error');
    simulator.resetFaults();
    await sleep(60); // past the in-flight grace: this call was sent after the 429 was seen
    assert.equal((await call(simulator, '/v1/balance')).status, 200); // too early: a violation
    assert.equal(simulator.stats().rateLimitViolations, 1);
    await sleep(1100);
    assert.equal((await call(simulator, '/v1/balance')).status, 200);
    assert.equal(simulator.stats().rateLimitViolations, 1);
  });

  test('server errors alternate between a JSON 500 and an HTML 502, on downloads too', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ serverErrorRate: 1 });
    const json = await call(simulator, '/v1/balance');
    assert.equal(json.status, 500);
    assert.equal((await errorOf(json)).type, 'server_error');
    const html = await fetch(`${simulator.url}/files/uploads/none.png`);
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /502 Bad Gateway/);
  });

  test('resets destroy the socket without an answer', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ resetRate: 1 });
    await assert.rejects(postTask(simulator, { model: 'm', prompt: 'p' }), TypeError);
    const stats = simulator.stats();
    assert.deepEqual(
      stats.requests.map((r) => r.status),
      [0],
    );
    assert.equal(stats.tasks.length, 0, 'a reset request creates nothing');
  });

  test('a stalled create is accepted (the task exists) but never answered', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ stallRate: 1 });
    const client = new AbortController();
    const pending = postTask(simulator, { model: 'm', prompt: 'p' }, { signal: client.signal });
    await until(() => simulator.stats().requests.length > 0, 'the stalled create to be recorded');
    assert.equal(simulator.stats().tasks.length, 1);
    client.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });

  test('task failure ends new tasks as failed with the given message', async (t) => {
    const simulator = await useSimulator(t, FAST);
    simulator.setFaults({ taskFailure: 'Your request was rejected by the safety system.' });
    const failed = await waitForTask(
      simulator,
      await createTask(simulator, { model: 'm', prompt: 'p' }),
    );
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.error, { message: 'Your request was rejected by the safety system.' });
    assert.equal(failed.result, undefined);
  });

  test('latency delays every answer by at least the given time', async (t) => {
    const simulator = await useSimulator(t);
    simulator.setFaults({ latencyMs: 150 });
    const started = performance.now();
    assert.equal((await call(simulator, '/v1/balance')).status, 200);
    assert.ok(performance.now() - started >= 145);
  });

  test('the same seed meets the same faults in the same order', async (t) => {
    const run = async () => {
      const simulator = await useSimulator(t);
      simulator.setFaults({
        serverErrorRate: 0.3,
        rateLimit: { rate: 0.2, retryAfterSeconds: 0 },
        seed: 7,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await call(simulator, '/v1/balance')).status);
      return statuses;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(200) && first.includes(429) && first.some((s) => s >= 500));
  });
});

describe('lifecycle', () => {
  test('holds 1,000 tasks and hundreds of concurrent requests', async (t) => {
    const simulator = await useSimulator(t, FAST);
    const ids: string[] = [];
    for (let batch = 0; batch < 4; batch++) {
      const created = await Promise.all(
        Array.from({ length: 250 }, (_, i) =>
          createTask(simulator, { model: 'm', prompt: `picture ${batch * 250 + i}` }),
        ),
      );
      ids.push(...created);
    }
    assert.equal(new Set(ids).size, 1000);
    const polls = await Promise.all(
      ids.slice(0, 300).map((id) => call(simulator, `/v1/tasks/${id}`)),
    );
    assert.ok(polls.every((response) => response.status === 200));
    await Promise.all(polls.map((response) => response.body?.cancel()));
    const stats = simulator.stats();
    assert.equal(stats.tasks.length, 1000);
    assert.equal(stats.duplicateSubmissions, 0);
  });

  test('close() ends stalled requests, frees the port and removes its folder', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const simulator = await startSimulator();
    const stored = path.basename(await referenceUrl(simulator));
    const candidates = (await readdir(os.tmpdir())).filter((name) =>
      name.startsWith('genqueue-simulator-'),
    );
    const owned = [];
    for (const name of candidates) {
      const file = path.join(os.tmpdir(), name, 'uploads', stored);
      if (
        await access(file).then(
          () => true,
          () => false,
        )
      )
        owned.push(path.join(os.tmpdir(), name));
    }
    assert.equal(owned.length, 1);
    simulator.setFaults({ stallRate: 1, latencyMs: 10 });
    const stalled = assert.rejects(call(simulator, '/v1/balance'), TypeError);
    await until(() => simulator.stats().requests.length >= 2, 'the stalled call to be recorded');
    await simulator.close();
    await stalled;
    await assert.rejects(call(simulator, '/v1/balance'), TypeError);
    await assert.rejects(access(owned[0] ?? ''), { code: 'ENOENT' });
    const resources = process.getActiveResourcesInfo();
    assert.ok(!resources.includes('TCPServerWrap'), resources.join(', '));
    assert.ok(resources.filter((r) => r === 'Timeout').length <= before, resources.join(', '));
  });

  test('a port already in use is refused with an EngineFailure', async (t) => {
    const simulator = await useSimulator(t);
    const port = Number(new URL(simulator.url).port);
    await assert.rejects(startSimulator({ port }), (thrown: unknown) => {
      assert.ok(thrown instanceof EngineFailure);
      assert.match(thrown.error.message, /could not listen/);
      return true;
    });
  });

  test('a dataDir given by the caller is kept after close()', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sim-test-'));
    try {
      const simulator = await startSimulator({ dataDir });
      const stored = path.basename(await referenceUrl(simulator));
      await simulator.close();
      assert.deepEqual(await readdir(path.join(dataDir, 'uploads')), [stored]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
