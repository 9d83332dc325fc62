// The queue and results views against a real engine and the simulator: twenty corpus photos added
// through the picker all reach done and show up in Results (before/after, reveal, run again), and
// files dropped on the window or pasted into it are queued with the recipe bar's recipe.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import type { DesktopPort } from '../../../main/engine/host/ports.ts';
import { CORPUS, tempDir } from '../../support/engine-harness.ts';
import {
  dropFiles,
  launchChromium,
  openApp,
  pasteImage,
  rendererSkipReason,
  startWindowEngine,
  snapshot,
} from '../../support/renderer-harness.ts';

const skip = rendererSkipReason();

const TWENTY = [
  ...['landscape', 'portrait'].flatMap((side) =>
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => join(CORPUS, `jpg/orientation/${side}_${n}.jpg`)),
  ),
  join(CORPUS, 'jpg/gps/DSCN0010.jpg'),
  join(CORPUS, 'jpg/gps/DSCN0012.jpg'),
  join(CORPUS, 'jpg/Canon_40D.jpg'),
  join(CORPUS, 'jpg/xmp/BlueSquare.jpg'),
];

// The Results grid is virtualised (only the rows on screen and one either side exist): a test
// that reads or clicks every card scrolls to it. Page-side code as source text: the test project
// type-checks without the DOM library.
const GRID = '[role="list"][aria-label="Finished images"]';

/** Sets the grid's scrollTop to `expression` (of `list`) and waits until it has rendered. */
async function scrollGrid(page: Page, expression: string): Promise<void> {
  await page.evaluate(`(async () => {
    const list = document.querySelector('${GRID}');
    list.scrollTop = ${expression};
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  })()`);
}

/** The grid's card `index`, scrolling on half a screen at a time until it is made. */
async function resultCard(page: Page, index: number): Promise<Locator> {
  const card = page.locator(`${GRID} [data-index="${index}"]`);
  for (let step = 0; step < 40 && (await card.count()) === 0; step++) {
    await scrollGrid(page, 'list.scrollTop + list.clientHeight / 2');
  }
  return card;
}

function desktop(picked: string[], revealed: string[] = [], copied: string[] = []): DesktopPort {
  return {
    pickPaths: async () => picked,
    open: async () => {},
    reveal: async (path) => {
      revealed.push(path);
    },
    copyImage: async (path) => {
      copied.push(path);
    },
  };
}

test(
  'twenty photos added in the window all reach done and appear in Results',
  { skip },
  async (t) => {
    const revealed: string[] = [];
    const copied: string[] = [];
    const browser = await launchChromium(t);
    const { engine, home, call } = await startWindowEngine(t, {
      desktop: desktop(TWENTY, revealed, copied),
    });
    await call('settings.update', { outputDir: join(home, 'out') });
    const page = await openApp(t, browser, engine);

    await page.getByRole('button', { name: 'Add images' }).click();
    await page.locator('[data-filter="all"]', { hasText: '20' }).waitFor();
    await page.locator('[data-filter="done"]', { hasText: '20' }).waitFor({ timeout: 40_000 });
    const firstRow = page.getByRole('listitem', { name: 'landscape_1.jpg' });
    assert.match(
      (await firstRow.textContent()) ?? '',
      /KB JPEG/,
      'the row shows the before → after facts',
    );
    await snapshot(page, 'queue-done');

    await page.getByRole('button', { name: 'Results' }).click();
    const grid = page.getByRole('list', { name: 'Finished images' });
    await grid.and(page.locator('[data-total="20"]')).waitFor();
    const names: string[] = [];
    for (let index = 0; index < 20; index++) {
      names.push((await (await resultCard(page, index)).getAttribute('aria-label')) ?? '');
    }
    await scrollGrid(page, '0');
    for (const source of TWENTY) {
      const stem = basename(source, extname(source));
      assert.ok(
        names.some((name) => name.startsWith(`Result ${stem}-`)),
        `${stem} has a result card`,
      );
    }
    await snapshot(page, 'results-grid');

    await (
      await resultCard(
        page,
        names.findIndex((name) => name.startsWith('Result portrait_3-')),
      )
    ).click();
    const panel = page.getByRole('complementary', { name: 'Result details' });
    const slider = panel.getByRole('slider', { name: 'Compare before and after' });
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await slider.inputValue(), '49', 'the slider moves with the keyboard');
    await panel.getByRole('button', { name: 'Show in folder' }).click();
    await page.waitForFunction(() => true);
    assert.ok(revealed.some((path) => basename(path).startsWith('portrait_3-')));
    await panel.getByRole('button', { name: 'Copy image' }).click();
    await page.getByText('Image copied.').waitFor();
    assert.deepEqual(copied, [revealed.at(-1)], 'the host copies the result shown');
    await assert.rejects(
      call('clipboard.copyImage', { path: join(home, 'not-a-result.png') }),
      /in its queue/,
    );
    await snapshot(page, 'results-panel');

    await panel.getByLabel('Prompt').fill('Make it a pencil sketch');
    await panel.getByRole('button', { name: 'Run again' }).click();
    await page.locator('.nav-badge', { hasText: '21' }).waitFor({ timeout: 20_000 });
    const { jobs } = await call('jobs.list', { filter: 'done' });
    const again = jobs.find((job) => job.recipe.prompt === 'Make it a pencil sketch');
    assert.equal(again?.name, 'portrait_3.jpg');
  },
);

test('files dropped anywhere or pasted are queued with the recipe bar', { skip }, async (t) => {
  const browser = await launchChromium(t);
  const { engine, home, call } = await startWindowEngine(t, { desktop: desktop([]) });
  const dropDir = await tempDir(t);
  await copyFile(join(CORPUS, 'jpg/gps/DSCN0010.jpg'), join(dropDir, 'dropped.jpg'));
  await call('settings.update', { outputDir: join(home, 'out') });
  const page = await openApp(t, browser, engine, undefined, { dropDir });
  const bar = page.getByRole('region', { name: 'Recipe for new images' });
  await bar.getByLabel('Prompt').fill('Turn it into a night scene');

  await dropFiles(page, ['dropped.jpg'], async () => {
    await page.getByText('Drop images or folders to queue them').waitFor();
    await snapshot(page, 'drop-overlay');
  });
  await page.getByRole('listitem', { name: 'dropped.jpg' }).waitFor();
  assert.equal(await page.getByText('Drop images or folders to queue them').count(), 0);

  const png = await sharp({
    create: { width: 64, height: 48, channels: 3, background: '#3366cc' },
  })
    .png()
    .toBuffer();
  await pasteImage(page, png, 'image/png');
  await page.getByRole('listitem', { name: /^pasted-.*\.png$/ }).waitFor();

  const { jobs } = await call('jobs.list', {});
  assert.deepEqual(
    jobs.map((job) => job.recipe.prompt),
    ['Turn it into a night scene', 'Turn it into a night scene'],
  );
  assert.equal(jobs[0]?.source, join(dropDir, 'dropped.jpg'));
});

test(
  'the recipe bar offers a model only APIMart knows, with its own options, and never queues a value outside them',
  { skip },
  async (t) => {
    const browser = await launchChromium(t);
    const { engine, home, call } = await startWindowEngine(t, { desktop: desktop([]) });
    const dropDir = await tempDir(t);
    await copyFile(join(CORPUS, 'jpg/gps/DSCN0010.jpg'), join(dropDir, 'dropped.jpg'));
    await call('settings.update', { outputDir: join(home, 'out') });
    assert.equal((await call('models.list', { fresh: true })).source, 'live');
    const page = await openApp(t, browser, engine, undefined, { dropDir });
    const bar = page.getByRole('region', { name: 'Recipe for new images' });
    await bar.getByLabel('Prompt').fill('Make it glow');
    await bar.getByLabel('Model').selectOption('sim-image-live-1');

    const choices = (label: string) => bar.getByLabel(label, { exact: true }).locator('option');
    assert.deepEqual(await choices('Size').allTextContents(), [
      'Default',
      'square_hd',
      'portrait_4_3',
      'landscape_16_9',
    ]);
    assert.deepEqual(await choices('Images').allTextContents(), ['1', '2', '3']);
    const options = bar.getByRole('group', { name: 'Model options' });
    assert.deepEqual(await options.getByLabel('Style').locator('option').allTextContents(), [
      'Default',
      'plain',
      'neon',
      'sepia',
    ]);
    assert.equal(await bar.getByLabel('Resolution').isDisabled(), true, 'the model takes none');

    const strength = options.getByLabel('Strength');
    assert.equal(await strength.getAttribute('max'), '1');
    await strength.fill('1.5');
    const sentence = 'sim-image-live-1 takes strength from 0 to 1; this job asks for 1.5.';
    await bar.getByRole('alert').getByText(sentence).waitFor();
    assert.equal(await bar.getByRole('button', { name: 'Make default' }).isDisabled(), true);
    await snapshot(page, 'recipe-live-model-refused');
    await dropFiles(page, ['dropped.jpg']);
    await page.getByRole('log', { name: 'Notifications' }).getByText(sentence).waitFor();
    assert.equal((await call('jobs.list', {})).total, 0, 'nothing was queued');

    await strength.fill('0.5');
    await options.getByLabel('Style').selectOption('neon');
    await bar.getByLabel('Size', { exact: true }).selectOption('landscape_16_9');
    assert.equal(await bar.getByRole('alert').count(), 0);
    await dropFiles(page, ['dropped.jpg']);
    await page.getByRole('listitem', { name: 'dropped.jpg' }).waitFor();
    const { jobs } = await call('jobs.list', {});
    assert.equal(jobs[0]?.recipe.model, 'sim-image-live-1');
    assert.equal(jobs[0]?.recipe.size, 'landscape_16_9');
    assert.deepEqual(jobs[0]?.recipe.options, { strength: 0.5, style: 'neon' });
  },
);
