// Integration: the API key is bound to the origin it was entered for. Calls go through dispatch,
// as a compromised window's would: a plain-http base URL elsewhere is refused with a sentence, and
// after a switch to another origin (a recording server on loopback) the queue pauses on `auth`
// and that server never receives the key. Everything listens on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { dispatch } from '../../main/contract/dispatch.ts';
import { EngineFailure, type EngineError } from '../../main/contract/errors.ts';
import { DEFAULT_SETTINGS } from '../../main/contract/schemas.ts';
import { createEngine } from '../../main/engine/engine.ts';
import { memorySecrets, memorySettings } from '../../main/engine/host/ports.ts';
import { startSimulator } from '../../main/simulator/simulator.ts';
import { CORPUS, enqueue, type TestEngine } from '../support/engine-harness.ts';
import { onTestEnd, tempDir } from '../support/paths.ts';
import { until } from '../support/until.ts';

/** A loopback server that answers nothing useful and records every Authorization header. */
async function recorder(t: TestContext): Promise<{ url: string; seen: (string | undefined)[] }> {
  const seen: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  t.after(() => server.closeAllConnections());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** An engine whose base URL comes from its settings (as in the app), its key entered there. */
async function appEngine(t: TestContext): Promise<TestEngine> {
  const simulator = await startSimulator({
    taskDurationMs: 100,
    resultSize: 64,
    apiKey: 'sk-entered-for-the-simulator',
  });
  const home = await tempDir(t);
  const engine = await createEngine({
    home,
    version: '0.0.0-test',
    command: 'test',
    settings: memorySettings({ ...DEFAULT_SETTINGS, baseUrl: simulator.url }),
    secrets: memorySecrets(),
    timing: { minPollMs: 50, backoff: { baseMs: 50, capMs: 500 }, probeDelayMs: 200 },
  });
  onTestEnd(t, async () => {
    await engine.stop();
    await simulator.close();
  });
  await engine.start();
  const call: TestEngine['call'] = async (route, input) => {
    const result = await dispatch(engine.handlers, route, input);
    if (!result.ok) throw new EngineFailure(result.error);
    return result.value as never;
  };
  await call('key.set', { key: simulator.apiKey });
  return { engine, simulator, home, call };
}

async function windowCall(gq: TestEngine, route: string, input: unknown) {
  return dispatch(gq.engine.handlers, route, input);
}

test('a window cannot point the key at plain http elsewhere: refused with a sentence (integration)', async (t) => {
  const gq = await appEngine(t);
  for (const baseUrl of [
    'http://attacker.example',
    'http://attacker.example:443/v1',
    'http://10.0.0.1',
    'http://169.254.169.254',
    'https://user:secret@api.apimart.ai',
  ]) {
    const result = await windowCall(gq, 'settings.update', { baseUrl });
    assert.equal(result.ok, false, baseUrl);
    const error = (result as { error: EngineError }).error;
    assert.equal(error.code, 'bad_input');
    assert.match(
      error.message,
      /^The request settings\.update was refused: baseUrl: (the API key is sent only over https|it must not carry a user name or password)\b.*\.$/,
    );
  }
  assert.equal((await gq.call('settings.get', {})).baseUrl, gq.simulator.url);
  assert.equal((await gq.call('key.status', {})).state, 'set');
});

test('after the base URL moves to another origin the key is not sent there: the queue asks for it (integration)', async (t) => {
  const gq = await appEngine(t);
  const other = await recorder(t);
  const moved = await windowCall(gq, 'settings.update', { baseUrl: other.url });
  assert.equal(moved.ok, true);
  assert.equal((await gq.call('key.status', {})).state, 'not-set');

  await enqueue(gq, [join(CORPUS, 'jpg/Canon_40D.jpg')], join(gq.home, 'out'));
  await until(async () => (await gq.call('queue.stats', {})).paused === 'auth', 'the auth pause');
  const stats = await gq.call('queue.stats', {});
  assert.match(
    stats.pauseMessage ?? '',
    /entered for http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1:\d+: enter it again/,
  );
  assert.ok(
    !other.seen.some((header) => header?.includes(gq.simulator.apiKey)),
    String(other.seen),
  );
  const resumed = await windowCall(gq, 'queue.resume', {});
  assert.equal(resumed.ok, false);

  // Entering a key for the new origin is what sends one there.
  await gq.call('key.set', { key: 'sk-entered-for-the-recorder' });
  await gq.call('queue.resume', {});
  await until(() => other.seen.length > 0, 'a request to the new origin');
  assert.deepEqual([...new Set(other.seen)], ['Bearer sk-entered-for-the-recorder']);
});

test('a host base URL over plain http elsewhere is refused before the engine starts', async (t) => {
  const refused = await createEngine({
    home: await tempDir(t),
    version: '0',
    command: 'test',
    settings: { read: () => ({}), write: () => {} },
    secrets: memorySecrets('sk-env-key-1234'),
    baseUrl: 'http://api.attacker.example',
  }).catch((error: unknown) => error);
  assert.match(
    String((refused as Error).message),
    /cannot be used: the API key is sent only over https/,
  );
});
