// The queue by keyboard alone, against a real engine (paused, so the jobs hold still): shortcuts
// switch views, arrows move between rows with a visible focus ring, Space and Ctrl+A select,
// Escape clears, Enter opens the details.
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

/** The few browser globals the page-side functions below use (the test project has no DOM lib). */
interface PageGlobals {
  document: { activeElement: { ariaLabel: string | null } };
  getComputedStyle(element: unknown): { boxShadow: string };
}

test('the queue can be driven from the keyboard, with visible focus', { skip }, async (t) => {
  const browser = await launchChromium(t);
  const { engine, call } = await startWindowEngine(t);
  await call('queue.pause', {});
  await call('jobs.enqueue', {
    paths: [1, 2, 3].map((n) => join(CORPUS, `jpg/orientation/portrait_${n}.jpg`)),
  });
  const page = await openApp(t, browser, engine);
  const activeName = () =>
    page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement.ariaLabel);

  const first = page.getByRole('listitem', { name: 'portrait_1.jpg' });
  await first.waitFor();
  await page.keyboard.press('Control+4');
  await page.getByRole('region', { name: 'Settings' }).waitFor();
  await page.keyboard.press('Control+1');
  await first.waitFor();

  await first.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeName(), 'portrait_2.jpg');
  const ring = await page
    .getByRole('listitem', { name: 'portrait_2.jpg' })
    .evaluate((row) => (globalThis as unknown as PageGlobals).getComputedStyle(row).boxShadow);
  assert.notEqual(ring, 'none', 'the focused row shows a focus ring');

  await page.keyboard.press(' ');
  await page.getByText('1 job selected').waitFor();
  await page.keyboard.press('Control+a');
  await page.getByText('3 jobs selected').waitFor();
  await snapshot(page, 'queue-keyboard-selection');
  await page.keyboard.press('Escape');
  await page.getByRole('toolbar', { name: 'List actions' }).waitFor();

  await page.keyboard.press('End');
  assert.equal(await activeName(), 'portrait_3.jpg');
  await page.keyboard.press('Enter');
  const details = page.getByRole('complementary', { name: 'Job details' });
  await details.getByRole('heading', { name: 'portrait_3.jpg' }).waitFor();
});
