// Integration: result downloads through the client's guarded connection, over real loopback HTTP.
// A seam makes the guard treat 127.0.0.1 (the simulator, so "APIMart") as remote and 127.0.0.2 as
// the private network: a result there, or a redirect to it, is refused and 127.0.0.2 never sees a
// connection. No test here sends anything beyond 127.0.0.0/8.
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import sharp from 'sharp';
import { EngineFailure, type EngineError } from '../../main/contract/errors.ts';
import { isLocalAddress } from '../../main/engine/apimart/address-guard.ts';
import { createApimartClient } from '../../main/engine/apimart/client.ts';
import { tempDir } from '../support/paths.ts';

const PRIVATE = '127.0.0.2';
/** 127.0.0.1 plays a public address, 127.0.0.2 a private one. */
const seam = (ip: string): boolean => ip === PRIVATE || (ip !== '127.0.0.1' && isLocalAddress(ip));

async function server(t: TestContext, host: string, handler: RequestListener) {
  const connections: string[] = [];
  const listening = createServer(handler);
  listening.on('connection', (socket) => connections.push(socket.remoteAddress ?? '?'));
  await new Promise<void>((resolve) => listening.listen(0, host, resolve));
  t.after(() => new Promise<void>((resolve) => listening.close(() => resolve())));
  t.after(() => listening.closeAllConnections());
  return { url: `http://${host}:${(listening.address() as AddressInfo).port}`, connections };
}

async function setup(t: TestContext, redirectTo: (privateUrl: string) => string) {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
    .png()
    .toBuffer();
  const hidden = await server(t, PRIVATE, (_req, res) => res.end(png));
  const api = await server(t, '127.0.0.1', (req, res) => {
    if (req.url === '/r/moved') res.writeHead(302, { location: redirectTo(hidden.url) }).end();
    else res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  });
  const client = createApimartClient({
    baseUrl: api.url,
    apiKey: () => 'sk-not-used-here',
    resultAddresses: { isLocal: seam },
    timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 },
  });
  t.after(() => client.close());
  return { client, api, hidden, dir: await tempDir(t) };
}

async function refusal(promise: Promise<unknown>): Promise<EngineError> {
  const thrown = await promise.then(
    () => assert.fail('the download was not refused'),
    (error: unknown) => error,
  );
  assert.ok(thrown instanceof EngineFailure, String(thrown));
  return thrown.error;
}

test('a result on a private address is refused before any connection is made (integration)', async (t) => {
  const { client, hidden, dir } = await setup(t, (url) => url);
  const error = await refusal(client.download(`${hidden.url}/x.png`, join(dir, 'x.png'), {}));
  assert.equal(error.code, 'bad_response');
  assert.equal(error.retryable, false);
  assert.match(error.message, /\(127\.0\.0\.2\), which GenQueue does not fetch from\./);
  assert.deepEqual(hidden.connections, []);
});

test('a redirect from APIMart to plain http elsewhere is refused (integration)', async (t) => {
  const { client, api, hidden, dir } = await setup(t, (url) => `${url}/x.png`);
  const error = await refusal(client.download(`${api.url}/r/moved`, join(dir, 'x.png'), {}));
  assert.match(
    error.message,
    /redirected to "http:\/\/127\.0\.0\.2:\d+\/x\.png", which is not https/,
  );
  assert.deepEqual(hidden.connections, []);
});

test('a redirect to https on a private address passes the scheme rule but not the address guard (integration)', async (t) => {
  const { client, api, hidden, dir } = await setup(
    t,
    (url) => `${url.replace('http:', 'https:')}/x.png`,
  );
  const error = await refusal(client.download(`${api.url}/r/moved`, join(dir, 'x.png'), {}));
  assert.match(error.message, /\(127\.0\.0\.2\), which GenQueue does not fetch from\./);
  assert.deepEqual(hidden.connections, []);
});

test('results on a "public" address, by name or by a same-origin redirect, still arrive (integration)', async (t) => {
  const { client, api, dir } = await setup(t, (url) => url);
  const byName = api.url.replace('127.0.0.1', 'localhost');
  const direct = await client.download(`${byName}/x.png`, join(dir, 'a.png'), {});
  assert.equal(direct.format, 'png');
  const sameOrigin = await setup(t, () => '/cdn/x.png');
  const moved = await sameOrigin.client.download(
    `${sameOrigin.api.url}/r/moved`,
    join(dir, 'b.png'),
    {},
  );
  assert.equal(moved.width, 8);
  assert.deepEqual(sameOrigin.hidden.connections, []);
});
