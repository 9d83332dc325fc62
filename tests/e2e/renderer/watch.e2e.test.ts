// A watched folder added in the window, against a real engine with its real watcher: the folder is
// picked, given its own prompt, and an image copied into it afterwards is queued and made, with the
// folder's card counting it and showing its prompt, output folder and recent files.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS, tempDir } from '../../support/engine-harness.ts';
import {
  launchChromium,
  openApp,
  rendererSkipReason,
  startWindowEngine,
  snapshot,
} from '../../support/renderer-harness.ts';

const skip = rendererSkipReason();

test('a folder watched from the window processes an image copied into it', { skip }, async (t) => {
  const folder = await tempDir(t, 'genqueue-watched-');
  const browser = await launchChromium(t);
  const { engine, home, call } = await startWindowEngine(t, {
    desktop: { pickPaths: async () => [folder], open: async () => {}, reveal: async () => {} },
  });
  await call('settings.update', { outputDir: join(home, 'out') });
  const page = await openApp(t, browser, engine);

  await page.getByRole('button', { name: 'Watched folders' }).click();
  const view = page.getByRole('region', { name: 'Watched folders' });
  await view.getByRole('heading', { name: 'No watched folders' }).waitFor();
  await view.getByRole('button', { name: 'Add folder' }).first().click();
  const form = view.getByRole('form', { name: 'Watch a new folder' });
  await form.getByLabel('Use its own recipe').check();
  await form.getByLabel('Prompt').fill('Make it a travel poster');
  await form.getByRole('button', { name: 'Start watching' }).click();

  const card = view.getByRole('article', { name: folder });
  await card.getByRole('status').filter({ hasText: 'Watching' }).waitFor({ timeout: 20_000 });
  await copyFile(join(CORPUS, 'jpg/orientation/landscape_3.jpg'), join(folder, 'holiday.jpg'));
  await card.locator('.count-done dd', { hasText: '1' }).waitFor({ timeout: 45_000 });
  // The card says what the folder does: its prompt, where results go, its recent files.
  const recent = card.getByRole('list', { name: 'Recent files' });
  await recent
    .getByRole('listitem')
    .filter({ hasText: 'holiday.jpg' })
    .filter({ hasText: 'Done' })
    .waitFor();
  const text = (await card.textContent()) ?? '';
  assert.match(text, /Make it a travel poster/);
  assert.ok(text.includes(join(home, 'out')), 'the output folder is shown');
  await snapshot(page, 'watched-folders');

  const { jobs } = await call('jobs.list', {});
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]?.name, 'holiday.jpg');
  assert.equal(jobs[0]?.stage, 'done');
  assert.equal(jobs[0]?.recipe.prompt, 'Make it a travel poster');
});
