// The APIMart client against the simulator over real HTTP: uploads of every allowed type, both
// shapes of every reply, downloads (expired, capped, atomic), balance, every fault kind turned into
// the EngineError the queue reads, an abort mid-upload that leaks nothing, and a scrubbed API key.
import { test, describe, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { Agent } from 'undici';
import { EngineFailure, type EngineError } from '../../main/contract/errors.ts';
import type { Recipe } from '../../main/contract/schemas.ts';
import {
  createApimartClient,
  generationRequest,
  type ApimartClient,
  type TaskState,
} from '../../main/engine/apimart/client.ts';
import type { Simulator, SimulatorOptions } from '../../main/simulator/simulator.ts';
import { useSimulator } from '../support/simulator-harness.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(repoRoot, 'tests/fixtures/corpus');
const FAST: SimulatorOptions = { taskDurationMs: 60 };

/** A generation request as the queue sends one: the recipe's bytes under a new key. */
function asked(recipe: Recipe, imageUrls: string[]): { key: string; body: string } {
  return { key: randomUUID(), body: generationRequest(recipe, imageUrls) };
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genqueue-apimart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function clientFor(
  t: TestContext,
  simulator: Simulator,
  extra: { headersMs?: number; dispatcher?: Agent } = {},
) {
  const client = createApimartClient({
    baseUrl: simulator.url,
    apiKey: () => simulator.apiKey,
    ...(extra.dispatcher ? { dispatcher: extra.dispatcher } : {}),
    timeouts: { connectMs: 2000, headersMs: extra.headersMs ?? 10_000, bodyMs: 10_000 },
  });
  t.after(() => client.close());
  return client;
}

async function setup(t: TestContext, options: SimulatorOptions = FAST) {
  const simulator = await useSimulator(t, options);
  return { simulator, client: clientFor(t, simulator), dir: await tempDir(t) };
}

/** The EngineError a call rejects with; fails the test if it resolves or throws anything else. */
async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (thrown) {
    assert.ok(thrown instanceof EngineFailure, `expected an EngineFailure, got ${String(thrown)}`);
    return thrown.error;
  }
  assert.fail('expected the call to fail');
}

async function imageFile(
  dir: string,
  format: 'jpeg' | 'png' | 'webp' | 'gif',
  width = 96,
  height = 64,
) {
  const file = path.join(dir, `input.${format}`);
  await sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .toFormat(format)
    .toFile(file);
  return file;
}

async function uploaded(client: ApimartClient, file: string): Promise<string> {
  const record = await client.upload(
    { path: file, filename: path.basename(file), contentType: 'image/png' },
    {},
  );
  return record.url;
}

async function finished(client: ApimartClient, taskId: string): Promise<TaskState[]> {
  const seen: TaskState[] = [];
  for (;;) {
    const state = await client.getTask(taskId, {});
    seen.push(state);
    if (state.status !== 'pending' && state.status !== 'processing') return seen;
    await sleep(15);
  }
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** Descriptors this process holds open on `file` (Linux /proc). */
async function descriptorsOn(file: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target === file) count++;
  }
  return count;
}

/** A one-route HTTP server for replies the simulator never gives. */
async function tinyServer(t: TestContext, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  t.after(() => server.closeAllConnections());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('upload', () => {
  for (const format of ['jpeg', 'png', 'webp', 'gif'] as const) {
    test(`a ${format} arrives byte for byte, with progress up to its size`, async (t) => {
      const { simulator, client, dir } = await setup(t);
      const file = await imageFile(dir, format);
      const size = (await readFile(file)).length;
      const progress: [number, number][] = [];
      const record = await client.upload(
        { path: file, filename: `photo.${format}`, contentType: `image/${format}` },
        { onProgress: (sent, total) => progress.push([sent, total]) },
      );
      assert.ok(record.url.startsWith(`${simulator.url}/files/uploads/`));
      assert.equal(record.bytes, size);
      assert.equal(record.expiresAt - record.createdAt, 72 * 3600 * 1000);
      assert.deepEqual(progress.at(-1), [size, size]);
      const stored = simulator.stats().uploads.at(-1);
      assert.equal(stored?.contentType, `image/${format}`);
      assert.equal(stored?.sha256, await sha256(file));
      assert.equal(stored?.filename, `photo.${format}`);
    });
  }

  test('a real camera photo larger than one read chunk arrives intact', async (t) => {
    const { simulator, client } = await setup(t);
    const file = path.join(corpus, 'jpg/hdr/iphone_hdr_YES.jpg');
    const progress: number[] = [];
    await client.upload(
      { path: file, filename: 'café.jpg', contentType: 'image/jpeg' },
      { onProgress: (sent) => progress.push(sent) },
    );
    const stored = simulator.stats().uploads.at(-1);
    assert.equal(stored?.sha256, await sha256(file));
    assert.equal(stored?.filename, 'café.jpg');
    assert.deepEqual(
      [...progress].sort((a, b) => a - b),
      progress,
      'progress never goes back',
    );
  });

  test('concurrent multi-chunk uploads each arrive byte for byte', async (t) => {
    // Guards the reader's reused buffers: a chunk overwritten before it left would show here.
    const { simulator, client, dir } = await setup(t);
    const head = await readFile(await imageFile(dir, 'png'));
    const files = await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        const file = path.join(dir, `big-${index}.png`);
        await writeFile(file, Buffer.concat([head, randomBytes(3 * 1024 * 1024 + index * 7919)]));
        return file;
      }),
    );
    await Promise.all(
      files.map((file) =>
        client.upload({ path: file, filename: path.basename(file), contentType: 'image/png' }, {}),
      ),
    );
    const received = new Map(
      simulator.stats().uploads.map((upload) => [upload.filename, upload.sha256]),
    );
    for (const file of files)
      assert.equal(received.get(path.basename(file)), await sha256(file), file);
  });

  test('a text file is refused with the service’s own words', async (t) => {
    const { client, dir } = await setup(t);
    const file = path.join(dir, 'notes.png');
    await writeFile(file, 'these are notes, not pixels\n'.repeat(100));
    const error = await failure(
      client.upload({ path: file, filename: 'notes.png', contentType: 'image/png' }, {}),
    );
    assert.equal(error.code, 'rejected');
    assert.equal(error.retryable, false);
    assert.match(
      error.message,
      /^APIMart refused the request: "unsupported image type: text\/plain(; charset=utf-8)?, allowed: jpeg, png, gif, webp"\.$/,
    );
  });

  test('a file over 20 MB is refused as too large, not as a network failure', async (t) => {
    const { client, dir } = await setup(t);
    const file = path.join(dir, 'huge.jpg');
    const head = await readFile(await imageFile(dir, 'jpeg'));
    await writeFile(file, Buffer.concat([head, Buffer.alloc(21 * 1024 * 1024 - head.length, 7)]));
    const error = await failure(
      client.upload({ path: file, filename: 'huge.jpg', contentType: 'image/jpeg' }, {}),
    );
    assert.equal(error.code, 'too_large');
    assert.match(String(error.detail), /exceeds maximum 20971520 bytes/);
  });

  test('a missing file is an io error and nothing is sent', async (t) => {
    const { simulator, client, dir } = await setup(t);
    const error = await failure(
      client.upload(
        { path: path.join(dir, 'gone.png'), filename: 'gone.png', contentType: 'image/png' },
        {},
      ),
    );
    assert.deepEqual([error.code, error.detail], ['io', 'ENOENT']);
    assert.match(error.message, /^The file to upload cannot be read \(ENOENT\)/);
    assert.equal(simulator.stats().requests.length, 0);
  });

  test('an abort mid-upload rejects as cancelled and leaves no socket or file handle open', async (t) => {
    // The simulator waits before reading the body, so the upload is stuck half-way when aborted.
    const simulator = await useSimulator(t, FAST);
    simulator.setFaults({ latencyMs: 30_000 });
    const agent = new Agent({ connections: 4 });
    t.after(() => agent.close());
    const client = clientFor(t, simulator, { dispatcher: agent });
    const dir = await tempDir(t);
    const file = path.join(dir, 'big.png');
    await writeFile(file, Buffer.alloc(16 * 1024 * 1024, 1));
    const controller = new AbortController();
    const sentAtAbort: number[] = [];
    const upload = client.upload(
      { path: file, filename: 'big.png', contentType: 'image/png' },
      {
        signal: controller.signal,
        onProgress: (sent, total) => {
          if (sent > 0 && sent < total && sentAtAbort.length === 0) {
            sentAtAbort.push(sent);
            setImmediate(() => controller.abort());
          }
        },
      },
    );
    const error = await failure(upload);
    assert.equal(error.code, 'cancelled');
    assert.ok(sentAtAbort[0]! < 16 * 1024 * 1024, 'the abort came mid-upload');
    for (let i = 0; i < 200 && (await descriptorsOn(file)) > 0; i++) await sleep(5);
    assert.equal(await descriptorsOn(file), 0, 'the file is closed');
    const stats = agent.stats[new URL(simulator.url).origin];
    assert.equal(stats?.connected ?? 0, 0, 'the aborted connection is gone');
    assert.equal(stats?.running ?? 0, 0);
  });
});

describe('tasks', () => {
  for (const shape of ['array', 'object'] as const) {
    test(`create accepts data as ${shape === 'array' ? 'an array' : 'an object'} and sends plain typed fields`, async (t) => {
      const { simulator, client, dir } = await setup(t, { ...FAST, shapes: { createTask: shape } });
      const url = await uploaded(client, await imageFile(dir, 'png'));
      const { taskId } = await client.createTask(
        asked({ model: 'gpt-image-1-official', prompt: 'a lighthouse', size: '3:2', n: 2 }, [url]),
        {},
      );
      assert.match(taskId, /\S/);
      const task = simulator.stats().tasks.at(-1);
      assert.equal(task?.id, taskId);
      assert.deepEqual(task?.imageUrls, [url]);
      assert.equal(task?.n, 2);
    });
  }

  for (const shape of ['string', 'array'] as const) {
    test(`poll flattens result urls given as a ${shape}`, async (t) => {
      const { client, dir } = await setup(t, { ...FAST, shapes: { resultUrl: shape } });
      const url = await uploaded(client, await imageFile(dir, 'png'));
      const { taskId } = await client.createTask(
        asked({ model: 'unlisted-model', prompt: 'p', n: 3 }, [url]),
        {},
      );
      const states = await finished(client, taskId);
      const last = states.at(-1)!;
      assert.equal(last.status, 'completed');
      assert.equal(last.images.length, 3);
      for (const image of last.images) {
        assert.match(image.url, /^http:\/\/127\.0\.0\.1:\d+\/files\/results\//);
        assert.ok(image.expiresAt! > Date.now(), 'expires_at is read as seconds and given in ms');
      }
      assert.ok(
        states.every(
          (state) => state.progress === undefined || (state.progress >= 0 && state.progress <= 100),
        ),
      );
    });
  }

  test('a failed task carries the service’s reason as task_failed', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ taskFailure: 'content policy violation: the prompt was flagged' });
    const { taskId } = await client.createTask(asked({ model: 'm', prompt: 'p' }, []), {});
    const last = (await finished(client, taskId)).at(-1)!;
    assert.equal(last.status, 'failed');
    assert.equal(last.error?.code, 'task_failed');
    assert.equal(
      last.error?.message,
      'APIMart could not make the image: "content policy violation: the prompt was flagged".',
    );
  });

  test('a recipe the catalogue refuses is never made into a request', async (t) => {
    const { simulator, client } = await setup(t);
    const error = await failure(
      (async () =>
        client.createTask(
          asked({ model: 'flux-kontext-pro', prompt: 'p' }, [
            'http://a/1',
            'http://a/2',
            'http://a/3',
          ]),
          {},
        ))(),
    );
    assert.equal(error.code, 'invalid_recipe');
    assert.equal(
      error.message,
      'flux-kontext-pro takes exactly 1 reference image; this job has 3.',
    );
    assert.equal(simulator.stats().requests.length, 0);
  });

  test('an image url the service never issued is refused with its message', async (t) => {
    const { client } = await setup(t);
    const error = await failure(
      client.createTask(asked({ model: 'm', prompt: 'p' }, ['https://example.com/x.png']), {}),
    );
    assert.equal(error.code, 'rejected');
    assert.match(error.message, /image_urls\[0\] could not be fetched/);
  });

  test('an unknown task id is refused, not retried', async (t) => {
    const { client } = await setup(t);
    const error = await failure(client.getTask('task_nope', {}));
    assert.equal(error.code, 'rejected');
    assert.equal(error.retryable, false);
  });
});

describe('download', () => {
  async function resultOf(t: TestContext, options: SimulatorOptions = FAST) {
    const context = await setup(t, options);
    const url = await uploaded(context.client, await imageFile(context.dir, 'png', 160, 90));
    const { taskId } = await context.client.createTask(
      asked({ model: 'm', prompt: 'p', size: '16:9' }, [url]),
      {},
    );
    const last = (await finished(context.client, taskId)).at(-1)!;
    return { ...context, image: last.images[0]! };
  }

  test('a result lands decoded and complete at its destination, with no temp file left', async (t) => {
    const { client, dir, image } = await resultOf(t);
    const destination = path.join(dir, 'out.png');
    const result = await client.download(image.url, destination, {});
    assert.equal(result.path, destination);
    assert.equal(result.format, 'png');
    const meta = await sharp(destination).metadata();
    assert.equal(meta.width, result.width);
    assert.equal(result.bytes, (await readFile(destination)).length);
    assert.ok(Math.abs(result.width / result.height - 16 / 9) < 0.02);
    assert.deepEqual((await readdir(dir)).sort(), ['input.png', 'out.png']);
  });

  test('an expired result URL says so', async (t) => {
    const { client, dir, image } = await resultOf(t, { ...FAST, resultTtlMs: 1 });
    await sleep(5);
    const error = await failure(client.download(image.url, path.join(dir, 'out.png'), {}));
    assert.equal(error.code, 'expired');
    assert.equal(error.retryable, false);
    assert.deepEqual(await readdir(dir), ['input.png']);
  });

  test('a result past its expires_at is not fetched at all', async (t) => {
    const { simulator, client, dir, image } = await resultOf(t);
    const before = simulator.stats().requests.length;
    const error = await failure(
      client.download(image.url, path.join(dir, 'out.png'), { expiresAt: Date.now() - 1 }),
    );
    assert.equal(error.code, 'expired');
    assert.equal(simulator.stats().requests.length, before);
  });

  test('a result over the size cap is dropped', async (t) => {
    const { client, dir, image } = await resultOf(t);
    const error = await failure(
      client.download(image.url, path.join(dir, 'out.png'), { maxBytes: 1000 }),
    );
    assert.equal(error.code, 'bad_response');
    assert.equal(error.retryable, false);
    assert.deepEqual(await readdir(dir), ['input.png']);
  });

  test('a page that is not an image, or a truncated image, never reaches the destination', async (t) => {
    const png = await sharp({
      create: { width: 400, height: 300, channels: 3, background: 'teal' },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const base = await tinyServer(t, (req, res) => {
      if (req.url === '/page') res.end('<html><body>Sign in to continue</body></html>');
      else res.end(png.subarray(0, png.length / 2));
    });
    const simulator = await useSimulator(t, FAST);
    const client = clientFor(t, simulator);
    const dir = await tempDir(t);
    const page = await failure(client.download(`${base}/page`, path.join(dir, 'a.png'), {}));
    assert.equal(page.code, 'bad_response');
    const truncated = await failure(client.download(`${base}/half`, path.join(dir, 'b.png'), {}));
    assert.equal(truncated.code, 'corrupt');
    assert.deepEqual(await readdir(dir), []);
  });
});

describe('balance', () => {
  test('reports remaining and used', async (t) => {
    const { client } = await setup(t, { ...FAST, balance: { remaining: 12.5, used: 3 } });
    assert.deepEqual(await client.balance({}), { remaining: 12.5, used: 3, unlimited: false });
  });

  test('an unlimited key has no remaining figure', async (t) => {
    const { client } = await setup(t, {
      ...FAST,
      balance: { remaining: -1, used: 3, unlimited: true },
    });
    assert.deepEqual(await client.balance({}), { remaining: null, used: 3, unlimited: true });
  });
});

describe('faults become the EngineError the queue acts on', () => {
  test('offline: network, pause offline', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ offline: true });
    const error = await failure(client.balance({}));
    assert.deepEqual([error.code, error.retryable, error.pause], ['network', true, 'offline']);
  });

  test('nothing listening: network, pause offline', async (t) => {
    const simulator = await useSimulator(t, FAST);
    const url = simulator.url;
    await simulator.close();
    const client = createApimartClient({ baseUrl: url, apiKey: () => 'k' });
    t.after(() => client.close());
    const error = await failure(client.balance({}));
    assert.deepEqual([error.code, error.pause], ['network', 'offline']);
    assert.match(error.message, /refused the connection/);
  });

  test('auth: not retryable, pause auth', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ auth: true });
    const error = await failure(client.balance({}));
    assert.deepEqual([error.code, error.retryable, error.pause], ['auth', false, 'auth']);
    assert.match(error.message, /"invalid api key"/);
  });

  test('no key set: auth, and no request is made', async (t) => {
    const simulator = await useSimulator(t, FAST);
    const client = createApimartClient({ baseUrl: simulator.url, apiKey: async () => undefined });
    t.after(() => client.close());
    const error = await failure(client.getTask('task_1', {}));
    assert.deepEqual([error.code, error.pause], ['auth', 'auth']);
    assert.equal(simulator.stats().requests.length, 0);
  });

  test('balance: upload and create pause the queue as balance', async (t) => {
    const { simulator, client, dir } = await setup(t);
    const file = await imageFile(dir, 'png');
    simulator.setFaults({ balance: true });
    const onUpload = await failure(
      client.upload({ path: file, filename: 'a.png', contentType: 'image/png' }, {}),
    );
    const onCreate = await failure(client.createTask(asked({ model: 'm', prompt: 'p' }, []), {}));
    for (const error of [onUpload, onCreate]) {
      assert.deepEqual([error.code, error.retryable, error.pause], ['balance', false, 'balance']);
      assert.match(error.message, /"insufficient balance/);
    }
  });

  test('429: rate_limited with Retry-After in ms', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ rateLimit: { retryAfterSeconds: 7, rate: 1 } });
    const error = await failure(client.getTask('task_1', {}));
    assert.deepEqual(
      [error.code, error.retryable, error.retryAfterMs],
      ['rate_limited', true, 7000],
    );
  });

  test('5xx: a JSON 500 and a proxy’s HTML 502 are both retryable server errors', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ serverErrorRate: 1 });
    const first = await failure(client.balance({}));
    const second = await failure(client.balance({}));
    const [json, html] = first.message.includes('proxy') ? [second, first] : [first, second];
    for (const error of [json, html])
      assert.deepEqual([error.code, error.retryable], ['server', true]);
    assert.match(json.message, /HTTP 500.*"internal server error"/);
    assert.match(html.message, /HTTP 502, an error page from a proxy.*"502 Bad Gateway"/);
  });

  test('a connection reset: network', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ resetRate: 1 });
    const error = await failure(client.createTask(asked({ model: 'm', prompt: 'p' }, []), {}));
    assert.deepEqual([error.code, error.retryable, error.pause], ['network', true, 'offline']);
  });

  test('a stalled reply: network after the headers timeout', async (t) => {
    const simulator = await useSimulator(t, FAST);
    simulator.setFaults({ stallRate: 1 });
    const client = clientFor(t, simulator, { headersMs: 200 });
    const error = await failure(client.getTask('task_1', {}));
    assert.deepEqual([error.code, error.detail], ['network', 'UND_ERR_HEADERS_TIMEOUT']);
  });

  test('an abort while waiting for a slow reply: cancelled', async (t) => {
    const { simulator, client } = await setup(t);
    simulator.setFaults({ latencyMs: 30_000 });
    const controller = new AbortController();
    const pending = client.balance({ signal: controller.signal });
    setImmediate(() => controller.abort());
    const error = await failure(pending);
    assert.deepEqual([error.code, error.retryable], ['cancelled', false]);
  });

  test('a call after close(): cancelled', async (t) => {
    const { client } = await setup(t);
    await client.close();
    const error = await failure(client.balance({}));
    assert.equal(error.code, 'cancelled');
  });
});

describe('replies the simulator never gives', () => {
  test('the key is scrubbed from a message that echoes it', async (t) => {
    const key = 'sk-live-0123456789abcdef';
    const base = await tinyServer(t, (req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: `bad key ${key}; header was ${req.headers.authorization}` },
        }),
      );
    });
    const client = createApimartClient({ baseUrl: base, apiKey: () => key });
    t.after(() => client.close());
    const error = await failure(client.balance({}));
    assert.equal(error.code, 'rejected');
    assert.ok(!JSON.stringify(error).includes(key), JSON.stringify(error));
    assert.match(error.message, /\[redacted\]/);
  });

  test('a result link that redirects is followed, and the key never travels with it', async (t) => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: 'navy' } })
      .png()
      .toBuffer();
    const seen: (string | undefined)[] = [];
    const base = await tinyServer(t, (req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/r/1') res.writeHead(302, { location: '/cdn/1.png' }).end();
      else res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    const client = createApimartClient({ baseUrl: base, apiKey: () => 'sk-secret-key-123' });
    t.after(() => client.close());
    const dir = await tempDir(t);
    const result = await client.download(`${base}/r/1`, path.join(dir, 'r.png'), {});
    assert.deepEqual([result.format, result.width, result.height], ['png', 20, 10]);
    assert.deepEqual(seen, [undefined, undefined]);
  });

  test('a reply far larger than any documented answer is bad_response', async (t) => {
    const base = await tinyServer(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"data":{"id":"t","status":"pending","pad":"${'x'.repeat(2 * 1024 * 1024)}"}}`);
    });
    const client = createApimartClient({ baseUrl: base, apiKey: () => 'k' });
    t.after(() => client.close());
    const error = await failure(client.getTask('t', {}));
    assert.deepEqual([error.code, error.retryable], ['bad_response', true]);
  });

  test('a base URL with a path prefix keeps it', async (t) => {
    const paths: string[] = [];
    const base = await tinyServer(t, (req, res) => {
      paths.push(req.url ?? '');
      res.end('{"success":true,"remain_balance":1,"used_balance":0}');
    });
    const client = createApimartClient({ baseUrl: `${base}/proxy/`, apiKey: () => 'k' });
    t.after(() => client.close());
    await client.balance({});
    assert.deepEqual(paths, ['/proxy/v1/user/balance']);
  });
});
