import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS } from '../../support/engine-harness.ts';
import {
  ARTIFACTS,
  launchChromium,
  openApp,
  rendererSkipReason,
  startWindowEngine,
} from '../../support/renderer-harness.ts';

const skip = rendererSkipReason();

test(
  'in the window, an added file becomes a job that reaches done and shows its result',
  { skip },
  async (t) => {
    const source = join(CORPUS, 'jpg/orientation/landscape_6.jpg');
    const browser = await launchChromium(t);
    const { engine, home } = await startWindowEngine(t, {
      desktop: { pickPaths: async () => [source], open: async () => {}, reveal: async () => {} },
    });
    await engine.handlers['settings.update']({ outputDir: join(home, 'out') });
    const page = await openApp(t, browser, engine);

    await page.getByRole('button', { name: 'Add images' }).click();
    const job = page.getByRole('listitem', { name: 'landscape_6.jpg' });
    await job.locator('[data-stage="done"]').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Results' }).click();
    const result = page.getByRole('region', { name: 'Results' }).getByRole('button', {
      name: /^Result landscape_6-.*\.png$/,
    });
    await result.first().waitFor();
    assert.match((await result.first().getAttribute('aria-label')) ?? '', /landscape_6-.*\.png$/);
    assert.ok(existsSync(join(home, 'out')));
    await page.screenshot({ path: join(ARTIFACTS, 'renderer', 'skeleton-done.png') });
  },
);
