// The window's path gate, without Electron: a window names only paths it was given — picked in a
// main-process dialog, dropped (vouched for by the preload), or shown by the engine — and every
// other path in jobs.enqueue, watch.add/update, settings.update or a recipe's outDir is refused
// before the engine sees it. gatedDispatch is what the IPC adapter runs for each request.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Handlers } from '../../../../main/contract/dispatch.ts';
import {
  createPathGate,
  createPathGrants,
  gatedDispatch,
} from '../../../../main/hosts/electron/path-gate.ts';

describe('createPathGrants', () => {
  test('a granted folder covers what is under it, never its neighbours or parents', () => {
    const grants = createPathGrants();
    grants.grant('/home/ann/Pictures', true);
    assert.equal(grants.allows('/home/ann/Pictures'), true);
    assert.equal(grants.allows('/home/ann/Pictures/2024/cat.jpg'), true);
    assert.equal(grants.allows('/home/ann/Pictures-private/cat.jpg'), false);
    assert.equal(grants.allows('/home/ann'), false);
    assert.equal(grants.allows('/home/ann/Pictures/../.ssh/id_ed25519'), false);
    assert.equal(grants.allows('Pictures/cat.jpg'), false);
  });

  test('an exact grant is that path alone; relative grants are ignored', () => {
    const grants = createPathGrants();
    grants.grant('/out/results', false);
    grants.grant('relative/folder', true);
    assert.equal(grants.allows('/out/results'), true);
    assert.equal(grants.allows('/out/results/'), true);
    assert.equal(grants.allows('/out/results/x.png'), false);
    assert.equal(grants.allows('relative/folder/x.jpg'), false);
  });
});

/** Handlers that record what reached the engine and answer like it would. */
function fakeEngine() {
  const reached: [string, unknown][] = [];
  const record =
    (route: string, answer: unknown = null) =>
    async (input: unknown) => {
      reached.push([route, input]);
      return answer;
    };
  const handlers = {
    'jobs.enqueue': record('jobs.enqueue', { jobIds: [], skipped: [] }),
    'files.pick': record('files.pick', { paths: ['/picked/folder', '/picked/one.jpg'] }),
    'settings.update': record('settings.update', { outputDir: '/out' }),
    'watch.add': record('watch.add', {}),
    'jobs.list': record('jobs.list', {
      jobs: [{ source: '/cli/queued.jpg', recipe: { outDir: '/cli/out' } }],
      total: 1,
    }),
    'shell.reveal': record('shell.reveal'),
  } as unknown as Handlers;
  return { handlers, reached };
}

describe('gatedDispatch (what the IPC adapter runs)', () => {
  test('a path the window was never given is refused with a sentence, and nothing reaches the engine', async () => {
    const { handlers, reached } = fakeEngine();
    const gate = createPathGate();
    for (const [route, input] of [
      ['jobs.enqueue', { paths: ['/etc/shadow'] }],
      ['jobs.enqueue', { paths: ['/picked/one.jpg'], recipe: { outDir: '/etc' } }],
      ['settings.update', { outputDir: '/home/ann/.ssh' }],
      ['watch.add', { path: '/home/ann' }],
      ['watch.update', { id: 'w', outDir: '/tmp/elsewhere' }],
      ['jobs.retry', { ids: ['j'], recipe: { outDir: '/etc' } }],
      ['files.paste', { dataBase64: 'eA==', mime: 'image/png', recipe: { outDir: '/etc' } }],
    ] as const) {
      const result = await gatedDispatch(handlers, gate, route, input);
      assert.equal(result.ok, false, route);
      const { error } = result as { error: { code: string; message: string } };
      assert.equal(error.code, 'bad_input');
      assert.match(
        error.message,
        /^GenQueue takes files and folders from its window only through its own dialogs \(Add, Choose…\) or a drop, so ".+" was refused\.$/,
      );
    }
    assert.deepEqual(reached, []);
  });

  test("picked files and folders (and what is under a picked folder) are the window's", async () => {
    const { handlers, reached } = fakeEngine();
    const gate = createPathGate();
    await gatedDispatch(handlers, gate, 'files.pick', { kind: 'folder' });
    const paths = ['/picked/one.jpg', '/picked/folder', '/picked/folder/deep/two.png'];
    const queued = await gatedDispatch(handlers, gate, 'jobs.enqueue', {
      paths,
      recipe: { outDir: '/picked/folder/out' },
    });
    assert.equal(queued.ok, true);
    const output = await gatedDispatch(handlers, gate, 'settings.update', {
      outputDir: '/picked/folder',
    });
    assert.equal(output.ok, true);
    assert.equal(reached.filter(([route]) => route !== 'files.pick').length, 2);
  });

  test('a dropped path counts once the preload vouched for it; junk is ignored', async () => {
    const { handlers } = fakeEngine();
    const gate = createPathGate();
    gate.dropped('/dropped/photo.heic');
    gate.dropped(42);
    gate.dropped('');
    assert.equal(
      (await gatedDispatch(handlers, gate, 'jobs.enqueue', { paths: ['/dropped/photo.heic'] })).ok,
      true,
    );
  });

  test("paths the engine showed the window (a job's source and folder, the output folder) may be named again", async () => {
    const { handlers } = fakeEngine();
    const gate = createPathGate();
    await gatedDispatch(handlers, gate, 'jobs.list', {});
    const again = await gatedDispatch(handlers, gate, 'jobs.enqueue', {
      paths: ['/cli/queued.jpg'],
      recipe: { outDir: '/cli/out' },
      force: true,
    });
    assert.equal(again.ok, true);
    assert.equal(
      (await gatedDispatch(handlers, gate, 'jobs.enqueue', { paths: ['/cli/out/other.jpg'] })).ok,
      false,
      'a shown folder is that folder, not what is under it',
    );
    gate.learn('job.updated', { source: '/watched/new.jpg', recipe: {} });
    assert.equal(
      (await gatedDispatch(handlers, gate, 'jobs.enqueue', { paths: ['/watched/new.jpg'] })).ok,
      true,
    );
  });

  test('routes that name no path, and trusted hosts that call handlers directly, are untouched', async () => {
    const { handlers, reached } = fakeEngine();
    const gate = createPathGate();
    assert.equal(
      (await gatedDispatch(handlers, gate, 'settings.update', { theme: 'dark' })).ok,
      true,
    );
    await handlers['jobs.enqueue']({ paths: ['/etc/anything.jpg'] });
    assert.equal(reached.length, 2);
  });
});
