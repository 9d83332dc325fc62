// Settings in the window against a real engine whose settings live in its home folder (the same
// conf file the CLI and the app share): every kind of field is changed in the UI, the engine is
// stopped, a second engine opens the same home, and a fresh window shows every change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confSettings } from '../../../main/hosts/cli/cli-ports.ts';
import { startTestEngine, tempDir } from '../../support/engine-harness.ts';
import {
  launchChromium,
  openApp,
  rendererSkipReason,
  snapshot,
} from '../../support/renderer-harness.ts';
import { until } from '../../support/until.ts';

const skip = rendererSkipReason();

test('settings changed in the window survive a restart of the engine', { skip }, async (t) => {
  const home = await tempDir(t);
  const browser = await launchChromium(t);

  await t.test('first run: change settings in the window', async (t) => {
    const { engine, call } = await startTestEngine(t, {
      home,
      engine: { settings: confSettings(home) },
    });
    const page = await openApp(t, browser, engine);
    await page.getByRole('button', { name: 'Settings' }).click();
    const view = page.getByRole('region', { name: 'Settings' });

    const names = view.getByLabel('File names');
    const preview = async (): Promise<[string, string]> => [
      (await view.getByTestId('name-preview').textContent()) ?? '',
      (await view.getByTestId('name-preview-same-name').textContent()) ?? '',
    ];
    await names.fill('{folder}-{name}.{ext}');
    assert.deepEqual(
      await preview(),
      ['100CANON-holiday-photo.png', '101CANON-holiday-photo.png'],
      'with {folder} a photo of the same name from another folder needs no " (2)"',
    );
    await names.fill('{date}-{name}-{index}.{ext}');
    const [first, second] = await preview();
    assert.match(
      first,
      /^\d{4}-\d\d-\d\d-holiday-photo-1\.png$/,
      'the preview follows what is typed, before it is saved',
    );
    assert.equal(second, first.replace(/\.png$/, ' (2).png'), 'the same name gets " (2)"');
    await names.press('Enter');
    await view.getByText('Saved').first().waitFor();

    await view.getByLabel('Generating').fill('8');
    await view.getByLabel('Generating').blur();
    await view.getByLabel('Keep camera details, remove location').check();

    const recipe = view.getByRole('region', { name: 'Default recipe' });
    await recipe.getByLabel('Model').selectOption('doubao-seedream-4-5');
    await recipe.getByLabel('Prompt').fill('A linocut print');
    await recipe.getByLabel('Size').selectOption('16:9');
    // Saved as it is changed, like the rest of the page: no Save button, the same "Saved".
    assert.equal(await recipe.getByRole('button', { name: /Save/ }).count(), 0);
    await recipe.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await until(
      async () => (await call('settings.get', {})).defaultRecipe.size === '16:9',
      'the default recipe saved',
    );
    assert.equal((await call('settings.get', {})).defaultRecipe.prompt, 'A linocut print');
    await snapshot(page, 'settings-light');

    await view.getByLabel('Dark').check();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await snapshot(page, 'settings-dark');
    await page.close(); // before this run's engine stops
  });

  await t.test('second run: a new engine on the same home shows them', async (t) => {
    const { engine, call } = await startTestEngine(t, {
      home,
      engine: { settings: confSettings(home) },
    });
    const saved = await call('settings.get', {});
    assert.equal(saved.namingTemplate, '{date}-{name}-{index}.{ext}');
    assert.equal(saved.concurrency.running, 8);

    const page = await openApp(t, browser, engine);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    const bar = page.getByRole('region', { name: 'Recipe for new images' });
    assert.equal(await bar.getByLabel('Model').inputValue(), 'doubao-seedream-4-5');
    assert.equal(await bar.getByLabel('Prompt').inputValue(), 'A linocut print');
    await snapshot(page, 'queue-empty-dark');

    await page.getByRole('button', { name: 'Settings' }).click();
    const view = page.getByRole('region', { name: 'Settings' });
    assert.equal(await view.getByLabel('File names').inputValue(), '{date}-{name}-{index}.{ext}');
    assert.equal(await view.getByLabel('Generating').inputValue(), '8');
    assert.ok(await view.getByLabel('Keep camera details, remove location').isChecked());
    assert.ok(await view.getByLabel('Dark').isChecked());
    const recipe = view.getByRole('region', { name: 'Default recipe' });
    assert.equal(await recipe.getByLabel('Size').inputValue(), '16:9');
    await page.close();
  });
});
