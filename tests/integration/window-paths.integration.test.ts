// Integration: a window that names paths on its own, through the same gate and dispatch the app's
// IPC adapter runs, against a real engine. /etc/shadow cannot be queued, so it never becomes
// "owned" and cannot be revealed; a picked photo can, and its result can be revealed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RouteInput, RouteName } from '../../main/contract/routes.ts';
import type { JobView } from '../../main/contract/schemas.ts';
import { createPathGate, gatedDispatch } from '../../main/hosts/electron/path-gate.ts';
import { CORPUS, startTestEngine } from '../support/engine-harness.ts';
import { until } from '../support/until.ts';

test('a window queues and reveals only what it was given (integration)', async (t) => {
  const photo = join(CORPUS, 'jpg/Canon_40D.jpg');
  const revealed: string[] = [];
  const gq = await startTestEngine(t, {
    desktop: {
      pickPaths: async () => [photo],
      open: async () => {},
      reveal: async (path) => void revealed.push(path),
    },
  });
  const gate = createPathGate();
  const window = <K extends RouteName>(route: K, input: RouteInput<K>) =>
    gatedDispatch(gq.engine.handlers, gate, route, input);

  const shadow = await window('jobs.enqueue', { paths: ['/etc/shadow'] });
  assert.equal(shadow.ok, false);
  assert.match(
    (shadow as { error: { message: string } }).error.message,
    /"\/etc\/shadow" was refused\./,
  );
  for (const path of ['/etc/shadow', 'jpeg', 'path']) {
    assert.equal((await window('shell.reveal', { path })).ok, false, path);
  }
  assert.equal((await window('settings.update', { outputDir: '/etc' })).ok, false);

  await window('files.pick', { kind: 'files' });
  const queued = await window('jobs.enqueue', { paths: [photo], recipe: { prompt: 'x' } });
  assert.equal(queued.ok, true);
  const [id] = (queued as { value: { jobIds: string[] } }).value.jobIds;
  let job: JobView | undefined;
  await until(async () => {
    [job] = await gq.call('jobs.get', { ids: [id!] });
    return job?.stage === 'done';
  }, 'the picked photo to be done');
  const result = job!.results[0]!.path;
  assert.equal((await window('shell.reveal', { path: result })).ok, true);
  assert.equal((await window('shell.reveal', { path: '/etc/shadow' })).ok, false);
  assert.deepEqual(revealed, [result]);
});
