// Money in the window, against a real engine and the simulator charging $0.021 an image: the Spend
// view shows what was spent today and in all (the same figures the engine reports), per day, per
// model, per batch and per watched folder, with the balance; the daily cap is set in Settings; the
// recipe bar and the drop overlay say what new images will cost. Screenshots spend.png, estimate.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatUsd } from '../../../main/contract/money.ts';
import { tempDir } from '../../support/engine-harness.ts';
import { makeImages } from '../../support/images.ts';
import {
  launchChromium,
  openApp,
  rendererSkipReason,
  snapshot,
  startWindowEngine,
} from '../../support/renderer-harness.ts';
import { until } from '../../support/until.ts';

const skip = rendererSkipReason();

test('the Spend view, the daily cap and the estimates before a drop', { skip }, async (t) => {
  const browser = await launchChromium(t);
  const gq = await startWindowEngine(t, {
    simulator: { pricing: { perImageUsd: 0.021 }, balance: { remaining: 25, used: 0 } },
  });
  const { call, engine, home } = gq;
  await call('settings.update', { outputDir: join(home, 'out') });
  const inputs = await tempDir(t);
  const folder = await tempDir(t, 'genqueue-watched-');
  await makeImages(folder, 2, { prefix: 'scan' });
  await call('watch.add', { path: folder, recipe: { prompt: 'Ink drawing' } });
  await call('jobs.enqueue', {
    paths: await makeImages(inputs, 4),
    recipe: { prompt: 'Oil paint' },
  });
  await until(async () => (await call('queue.stats', {})).counts.done === 6, 'six images made');
  const report = await call('spend.report', {});
  assert.equal(Math.round(report.totalUsd * 1e6), 6 * 21_000);

  const page = await openApp(t, browser, engine);
  await page.getByRole('button', { name: 'Spend' }).click();
  const view = page.getByRole('region', { name: 'Spend' });
  const today = view.getByRole('group', { name: 'Today' });
  await today.getByText(formatUsd(report.todayUsd)).waitFor();
  assert.match((await view.getByRole('group', { name: 'In all' }).textContent()) ?? '', /6 tasks/);
  assert.match(
    (await view.getByRole('group', { name: 'Balance' }).textContent()) ?? '',
    /\$24\.87/,
  );
  await view.getByRole('img', { name: 'Spend per day, last 30 days' }).waitFor();
  const perModel = view.getByRole('region', { name: 'Per model' });
  assert.match((await perModel.textContent()) ?? '', /gemini-3-pro-image-preview6\$0\.13/);
  const perFolder = view.getByRole('region', { name: 'Per watched folder' });
  assert.ok(
    ((await perFolder.textContent()) ?? '').includes(folder),
    'the watched folder is named',
  );
  const perBatch = view.getByRole('region', { name: 'Per batch' });
  assert.match((await perBatch.textContent()) ?? '', /4 images from /);
  await view
    .getByRole('region', { name: 'Prices learned' })
    .getByText("APIMart's reported cost", { exact: false })
    .waitFor();
  await snapshot(page, 'spend');

  await page.getByRole('button', { name: 'Settings' }).click();
  const cap = page
    .getByRole('region', { name: 'Spending' })
    .getByLabel('Daily spending cap (US dollars)');
  await cap.fill('5');
  await cap.press('Enter');
  await until(async () => (await call('settings.get', {})).spendCapPerDay === 5, 'the cap saved');

  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  const estimate = page.getByTestId('estimate');
  await estimate.getByText('≈ $0.021 per image').waitFor();
  // Twenty files dragged over the window: the overlay prices them before anything is dropped.
  const transfer = await page.evaluateHandle(
    `(() => { const data = new DataTransfer();
      for (let i = 0; i < 20; i++) data.items.add(new File(['x'], 'photo-' + i + '.jpg'));
      return data; })()`,
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.locator('.drop-overlay').waitFor();
  // A drag hovering fires dragover again and again: the overlay reads what is dragged from it.
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await page.getByTestId('drop-estimate').getByText('≈ $0.42 for 20 images').waitFor();
  await snapshot(page, 'estimate');
  await page.dispatchEvent('main', 'dragleave', { dataTransfer: transfer });
  assert.equal((await call('jobs.list', {})).total, 6, 'an estimate queues nothing');
});
