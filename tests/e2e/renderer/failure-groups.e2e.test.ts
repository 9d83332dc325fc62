// Failures grouped by cause in the window, against a real engine and the simulator: photos the
// service refuses form one group with Retry all, files that are not images another with only
// Remove all (and no Retry on their rows); one click clears each group, and a row shows its
// whole error on demand.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
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
const WAIT = { timeout: 30_000 };
const REFUSAL = 'The prompt was refused by the content policy.';

test('failures come grouped by cause, and Retry all clears a group', { skip }, async (t) => {
  const dir = await tempDir(t);
  const notes = join(dir, 'notes.png');
  await writeFile(notes, 'Shopping list: milk, eggs, bread.\n');
  const report = join(dir, 'report.jpg');
  await writeFile(report, '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
  const photos = ['landscape_1.jpg', 'landscape_2.jpg', 'portrait_1.jpg'].map((name) =>
    join(CORPUS, 'jpg/orientation', name),
  );
  const browser = await launchChromium(t);
  const { engine, simulator, home, call } = await startWindowEngine(t, {
    desktop: {
      pickPaths: async () => [...photos, notes, report],
      open: async () => {},
      reveal: async () => {},
    },
  });
  await call('settings.update', { outputDir: join(home, 'out') });
  simulator.setFaults({ taskFailure: REFUSAL });
  const page = await openApp(t, browser, engine, { width: 1280, height: 900 });

  await page.getByRole('button', { name: 'Add images' }).click();
  await page.locator('[data-filter="failed"]', { hasText: '5' }).waitFor(WAIT);
  await page.getByRole('button', { name: /^Failed/ }).click();

  const refused = page.getByRole('group', {
    name: '3 failed: The prompt was refused by the content policy',
  });
  const notImages = page.getByRole('group', { name: '2 failed: not an image' });
  await refused.waitFor();
  await notImages.waitFor();
  assert.deepEqual(
    (await notImages.getByRole('button').allTextContents()).map((text) => text.trim()),
    ['Remove all'],
    'no retry is offered for files that are not images',
  );
  const notesRow = page.getByRole('listitem', { name: 'notes.png' });
  assert.equal(
    await notesRow.getByRole('button', { name: 'Retry notes.png', exact: true }).count(),
    0,
  );
  assert.equal(
    await page
      .getByRole('listitem', { name: 'landscape_1.jpg' })
      .getByRole('button', { name: 'Retry landscape_1.jpg', exact: true })
      .count(),
    1,
  );

  // The whole error, on demand, under its row.
  await page.getByRole('button', { name: 'Show the whole error of report.jpg' }).click();
  const whole = page.getByRole('listitem', { name: 'report.jpg' }).locator('.job-error-full');
  assert.match((await whole.textContent()) ?? '', /report\.jpg is not an image: it is a PDF/);
  await whole.scrollIntoViewIfNeeded();
  await snapshot(page, 'failures-grouped');

  simulator.setFaults({ taskFailure: null });
  await refused.getByRole('button', { name: 'Retry all', exact: true }).click();
  await page.locator('[data-filter="done"]', { hasText: '3' }).waitFor(WAIT);
  await refused.waitFor({ state: 'detached' });

  await notImages.getByRole('button', { name: 'Remove all' }).click();
  await page.locator('[data-filter="failed"]', { hasText: '0' }).waitFor(WAIT);
  const { jobs } = await call('jobs.list', {});
  assert.deepEqual(jobs.map((job) => job.stage).sort(), ['done', 'done', 'done']);
});

test('Edit and retry all sends a whole group again with one new prompt', { skip }, async (t) => {
  const photos = ['landscape_3.jpg', 'landscape_4.jpg'].map((name) =>
    join(CORPUS, 'jpg/orientation', name),
  );
  const browser = await launchChromium(t);
  const { engine, simulator, home, call } = await startWindowEngine(t, {
    desktop: { pickPaths: async () => photos, open: async () => {}, reveal: async () => {} },
  });
  await call('settings.update', { outputDir: join(home, 'out') });
  simulator.setFaults({ taskFailure: REFUSAL });
  const page = await openApp(t, browser, engine);

  await page.getByRole('button', { name: 'Add images' }).click();
  await page.locator('[data-filter="failed"]', { hasText: '2' }).waitFor(WAIT);
  await page.getByRole('button', { name: /^Failed/ }).click();
  const group = page.getByRole('group', { name: /^2 failed: / });
  await group.getByRole('button', { name: 'Edit and retry all' }).click();
  simulator.setFaults({ taskFailure: null });
  const form = group.getByRole('form', { name: 'Edit and retry' });
  await form.getByLabel('Prompt').fill('A quiet pencil sketch');
  await form.getByRole('button', { name: 'Retry with this recipe' }).click();
  await page.locator('[data-filter="done"]', { hasText: '2' }).waitFor(WAIT);

  const { jobs } = await call('jobs.list', {});
  assert.deepEqual(
    jobs.map((job) => [job.stage, job.recipe.prompt]),
    [
      ['done', 'A quiet pencil sketch'],
      ['done', 'A quiet pencil sketch'],
    ],
  );
});
