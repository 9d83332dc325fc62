// Toasts in the window never lie over a control: with toasts showing, every toast's box is checked
// against every visible button, field and switch in the queue (details panel open), Settings and
// the watched-folder form. A batch says one thing at a time: its "Queued" toast gives
// way to "Batch finished".
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { CORPUS } from '../../support/engine-harness.ts';
import {
  launchChromium,
  openApp,
  rendererSkipReason,
  startWindowEngine,
  snapshot,
} from '../../support/renderer-harness.ts';

const skip = rendererSkipReason();
const WAIT = { timeout: 30_000 };

interface Overlaps {
  toasts: number;
  controls: number;
  hits: string[];
}

/** Every toast box (as far as its stack shows it) against every visible control's box. */
async function overlaps(page: Page): Promise<Overlaps> {
  return page.evaluate(`(() => {
    const stack = document.querySelector('.toasts').getBoundingClientRect();
    const clip = (r) => ({
      left: r.left, right: r.right, top: Math.max(r.top, stack.top), bottom: Math.min(r.bottom, stack.bottom),
    });
    const toasts = [...document.querySelectorAll('.toast')]
      .map((el) => ({ text: el.textContent, box: clip(el.getBoundingClientRect()) }))
      .filter(({ box }) => box.bottom > box.top);
    const controls = [...document.querySelectorAll('button, input, select, textarea, a[href]')]
      .filter((el) => !el.closest('.toasts'))
      .map((el) => ({ name: el.getAttribute('aria-label') || el.textContent.trim() || el.tagName, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight);
    const hits = [];
    for (const toast of toasts)
      for (const control of controls)
        if (toast.box.left < control.box.right && control.box.left < toast.box.right &&
            toast.box.top < control.box.bottom && control.box.top < toast.box.bottom)
          hits.push(toast.text + ' covers ' + control.name);
    return { toasts: toasts.length, controls: controls.length, hits };
  })()`);
}

async function assertClear(page: Page, where: string): Promise<void> {
  const found = await overlaps(page);
  assert.ok(found.toasts > 0, `${where}: toasts are showing`);
  assert.ok(found.controls > 5, `${where}: controls were found`);
  assert.deepEqual(found.hits, [], `${where}: no toast covers a control`);
}

test('toasts never cover a control, and a batch shows one toast', { skip }, async (t) => {
  const photos = ['landscape_5.jpg', 'portrait_5.jpg', 'landscape_6.jpg'].map((name) =>
    join(CORPUS, 'jpg/orientation', name),
  );
  const browser = await launchChromium(t);
  const { engine, home, call } = await startWindowEngine(t, {
    desktop: {
      pickPaths: async () => [...photos, join(home, 'gone.jpg')],
      open: async () => {},
      reveal: async () => {},
    },
  });
  await call('settings.update', { outputDir: join(home, 'out') });
  const page = await openApp(t, browser, engine, { width: 1100, height: 700 });
  const toasts = page.getByRole('log', { name: 'Notifications' });

  await page.getByRole('button', { name: 'Add images' }).click();
  await toasts.getByText('Batch finished: 3 jobs done.').waitFor(WAIT);
  assert.equal(await toasts.getByText(/^Queued/).count(), 0, 'the batch toast replaced Queued');

  await toasts.getByText(/1 of 4 files skipped/).waitFor();
  await page.getByRole('listitem', { name: 'landscape_5.jpg' }).click();
  const details = page.getByRole('complementary', { name: 'Job details' });
  await details.getByRole('button', { name: 'Remove from list' }).waitFor();
  await assertClear(page, 'queue with details');
  await snapshot(page, 'toasts-beside-queue');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('region', { name: 'Settings' }).waitFor();
  await assertClear(page, 'settings');

  await page.getByRole('button', { name: 'Watched folders' }).click();
  const view = page.getByRole('region', { name: 'Watched folders' });
  await page.keyboard.press('Control+O');
  await toasts
    .getByText(/files skipped/)
    .first()
    .waitFor();
  await view.getByRole('button', { name: 'Add folder' }).first().click();
  await view.getByRole('form', { name: 'Watch a new folder' }).waitFor();
  await assertClear(page, 'watched-folder form');
});
