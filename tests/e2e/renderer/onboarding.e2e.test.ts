// First run without an API key: the welcome screen says plainly when no keychain can lock the key,
// the sidebar does not call the queue paused,
// "Try without a key" switches to the built-in simulator, the connection test answers, and the
// results that follow are marked as simulated wherever they appear.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { memorySecrets } from '../../../main/engine/host/ports.ts';
import { CORPUS } from '../../support/engine-harness.ts';
import {
  launchChromium,
  openApp,
  rendererSkipReason,
  startWindowEngine,
  snapshot,
} from '../../support/renderer-harness.ts';

const skip = rendererSkipReason();

test(
  'onboarding without a key: simulator, test connection, simulated results',
  { skip },
  async (t) => {
    const source = join(CORPUS, 'jpg/orientation/portrait_5.jpg');
    const browser = await launchChromium(t);
    const { engine, home, call } = await startWindowEngine(t, {
      desktop: { pickPaths: async () => [source], open: async () => {}, reveal: async () => {} },
      engine: {
        secrets: { ...memorySecrets(undefined, 'basic_text'), weak: true },
      },
    });
    await call('settings.update', { outputDir: join(home, 'out') });
    const page = await openApp(t, browser, engine);

    const welcome = page.getByRole('region', { name: 'Welcome' });
    await welcome.getByRole('heading', { name: 'Welcome to GenQueue' }).waitFor();
    const warning = (await welcome.getByRole('alert').textContent()) ?? '';
    assert.match(warning, /no keychain.*without encryption.*could read it/);
    assert.doesNotMatch(warning, /basic_text/);
    assert.match(
      (await page.getByRole('navigation').textContent()) ?? '',
      /Starts once a key is set/,
    );
    assert.doesNotMatch((await page.getByRole('navigation').textContent()) ?? '', /Paused/);
    assert.ok(await welcome.getByRole('button', { name: 'Test connection' }).isDisabled());
    await snapshot(page, 'onboarding');

    await welcome.getByRole('button', { name: 'Try without a key' }).click();
    await welcome.getByText('Using the built-in simulator').waitFor();
    await welcome.getByRole('button', { name: 'Test connection' }).click();
    await welcome
      .getByRole('status')
      .filter({ hasText: /Connected · 100 remaining \(simulator\)/ })
      .waitFor();
    await welcome.getByRole('button', { name: 'Continue to the queue' }).click();

    await page.getByText('Simulator — results are simulated').waitFor();
    await page.getByRole('button', { name: 'Add images' }).click();
    const row = page.getByRole('listitem', { name: 'portrait_5.jpg' });
    await row.locator('[data-stage="done"]').waitFor({ timeout: 45_000 });
    assert.match((await row.textContent()) ?? '', /Simulated/);
    await page.getByRole('button', { name: 'Results' }).click();
    const card = page.getByRole('button', { name: /^Result portrait_5-/ });
    assert.match((await card.textContent()) ?? '', /Simulated/);

    const [job] = (await call('jobs.list', {})).jobs;
    assert.equal(job?.simulated, true);
    assert.equal((await call('key.status', {})).state, 'simulator');
  },
);
