import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate, type AppMenuActions } from '../../../../main/hosts/electron/app-menu.ts';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
  ]);
}

function recorder() {
  const calls: string[] = [];
  const actions: AppMenuActions = {
    addImages: () => calls.push('addImages'),
    addFolder: () => calls.push('addFolder'),
    togglePause: () => calls.push('togglePause'),
    clearFinished: () => calls.push('clearFinished'),
    openDataFolder: () => calls.push('openDataFolder'),
    quit: () => calls.push('quit'),
  };
  return { calls, actions };
}

function click(items: MenuItemConstructorOptions[], label: string): void {
  const item = flatten(items).find((entry) => entry.label === label);
  assert.ok(item?.click, `no menu item "${label}"`);
  (item.click as () => void)();
}

describe('the application menu', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    test(`on ${platform}, every command has a unique accelerator and reaches its action`, () => {
      const { calls, actions } = recorder();
      const menu = appMenuTemplate(actions, { platform, packaged: true, paused: false });
      const accelerators = flatten(menu).flatMap((item) =>
        item.accelerator ? [String(item.accelerator)] : [],
      );
      assert.deepEqual([...accelerators].sort(), [
        'CmdOrCtrl+O',
        'CmdOrCtrl+Q',
        'CmdOrCtrl+Shift+K',
        'CmdOrCtrl+Shift+O',
        'CmdOrCtrl+Shift+P',
      ]);
      const quit = platform === 'darwin' ? 'Quit GenQueue' : 'Quit';
      for (const label of [
        'Add Images…',
        'Add Folder…',
        'Pause Queue',
        'Clear Finished Jobs',
        'Open Data Folder',
        quit,
      ]) {
        click(menu, label);
      }
      assert.deepEqual(calls, [
        'addImages',
        'addFolder',
        'togglePause',
        'clearFinished',
        'openDataFolder',
        'quit',
      ]);
    });
  }

  test('macOS gets the app menu and no mnemonics; Windows and Linux get Alt mnemonics', () => {
    const { actions } = recorder();
    const mac = appMenuTemplate(actions, { platform: 'darwin', packaged: true, paused: false });
    const win = appMenuTemplate(actions, { platform: 'win32', packaged: true, paused: false });
    assert.deepEqual(
      mac.map((item) => item.label),
      ['GenQueue', 'File', 'Edit', 'Queue', 'View', 'Window'],
    );
    assert.deepEqual(
      win.map((item) => item.label),
      ['&File', '&Edit', '&Queue', '&View', '&Window'],
    );
  });

  test('the pause entry follows the queue, and developer entries exist only unpackaged', () => {
    const { actions } = recorder();
    const paused = flatten(
      appMenuTemplate(actions, { platform: 'linux', packaged: true, paused: true }),
    );
    assert.ok(paused.some((item) => item.label === 'Resume Queue'));
    assert.ok(!paused.some((item) => item.role === 'toggleDevTools' || item.role === 'reload'));
    const dev = flatten(
      appMenuTemplate(actions, { platform: 'linux', packaged: false, paused: false }),
    );
    assert.ok(dev.some((item) => item.role === 'toggleDevTools'));
  });
});
