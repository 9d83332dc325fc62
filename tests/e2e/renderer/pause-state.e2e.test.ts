// What the queue says while it is paused, against a real engine and the simulator: the header and
// the Active tab read "paused", rows held by the pause say "Paused" and what they wait for (not a
// stage with an empty bar), and a refused key's row says it waits for a working key.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
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

test('counts, tabs and rows follow the pause', { skip }, async (t) => {
  const photos = ['landscape_7.jpg', 'landscape_8.jpg', 'portrait_7.jpg'].map((name) =>
    join(CORPUS, 'jpg/orientation', name),
  );
  const browser = await launchChromium(t);
  const { engine, simulator, home, call } = await startWindowEngine(t, {
    desktop: { pickPaths: async () => photos, open: async () => {}, reveal: async () => {} },
  });
  await call('settings.update', { outputDir: join(home, 'out') });
  const page = await openApp(t, browser, engine);
  const queue = page.getByRole('region', { name: 'Queue' });

  await page.getByRole('button', { name: 'Pause queue' }).click();
  await page.getByRole('button', { name: 'Resume queue' }).waitFor();
  await page.getByRole('button', { name: 'Add images' }).click();
  await queue.getByText('3 jobs · 3 paused').waitFor(WAIT);
  const tab = page.locator('[data-filter="active"]');
  assert.equal((await tab.textContent())?.trim(), 'Paused3');
  const row = page.getByRole('listitem', { name: 'landscape_7.jpg' });
  await row.locator('[data-paused="true"]', { hasText: 'Paused' }).waitFor();
  assert.match((await row.textContent()) ?? '', /Not started: the queue is paused\./);
  assert.doesNotMatch((await queue.textContent()) ?? '', /active/);
  await snapshot(page, 'queue-paused');

  await page.getByRole('button', { name: 'Resume queue' }).click();
  await page.locator('[data-filter="done"]', { hasText: '3' }).waitFor(WAIT);
  assert.equal((await tab.textContent())?.trim(), 'Active0');

  // A refused key: the job stands at its step, and says why instead of "Uploading" and an empty bar.
  simulator.setFaults({ auth: true });
  await call('jobs.enqueue', { paths: [join(CORPUS, 'jpg/orientation/portrait_8.jpg')] });
  const held = page.getByRole('listitem', { name: 'portrait_8.jpg' });
  await held.locator('[data-paused="true"]').waitFor(WAIT);
  assert.match((await held.textContent()) ?? '', /waiting for a working API key/);
  assert.equal(await held.getByRole('progressbar').count(), 0);
  await queue.getByText('4 jobs · 1 paused').waitFor();
});
