// Failures in the window, against a real engine and the simulator: a job the service refuses and a
// text file dressed as a PNG both show why in plain words; Retry brings the first to done once the
// service accepts it, and Edit-and-retry sends it again with a changed prompt.
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

test(
  'a failed job shows its reason; Retry and Edit-and-retry bring it to done',
  { skip },
  async (t) => {
    const dir = await tempDir(t);
    const notes = join(dir, 'notes.png');
    await writeFile(notes, 'Shopping list: milk, eggs, bread.\n');
    const photos = [join(CORPUS, 'jpg/gps/DSCN0012.jpg'), join(CORPUS, 'jpg/Canon_40D.jpg')];
    const browser = await launchChromium(t);
    const { engine, simulator, home, call } = await startWindowEngine(t, {
      desktop: {
        pickPaths: async () => [...photos, notes],
        open: async () => {},
        reveal: async () => {},
      },
    });
    await call('settings.update', { outputDir: join(home, 'out') });
    simulator.setFaults({ taskFailure: 'The prompt was refused by the content policy.' });
    const page = await openApp(t, browser, engine);

    await page.getByRole('button', { name: 'Add images' }).click();
    await page.locator('[data-filter="failed"]', { hasText: '3' }).waitFor({ timeout: 30_000 });
    const refused = page.getByRole('listitem', { name: 'DSCN0012.jpg' });
    assert.match((await refused.textContent()) ?? '', /content policy/);
    const text = page.getByRole('listitem', { name: 'notes.png' });
    assert.match((await text.textContent()) ?? '', /notes\.png is not an image: .*text file/);
    // Trying again cannot mend a file that is not an image: neither Retry nor Edit and retry.
    const offered = text.getByRole('button', { name: /^(Retry|Edit and retry) notes\.png$/ });
    assert.equal(await offered.count(), 0, 'no retry is offered for a file that is not an image');

    await page.getByRole('button', { name: /^Failed/ }).click();
    await refused.click();
    const details = page.getByRole('complementary', { name: 'Job details' });
    await details.getByRole('alert').filter({ hasText: 'Why it failed' }).waitFor();
    await snapshot(page, 'queue-failed');

    simulator.setFaults({ taskFailure: null });
    await refused.getByRole('button', { name: 'Retry DSCN0012.jpg', exact: true }).click();
    await details.locator('[data-stage="done"]').waitFor({ timeout: 20_000 });

    await page
      .getByRole('listitem', { name: 'Canon_40D.jpg' })
      .getByRole('button', {
        name: 'Edit and retry Canon_40D.jpg',
      })
      .click();
    const form = page.getByRole('form', { name: 'Edit and retry' });
    await form.getByLabel('Prompt').fill('Make it an oil painting');
    await snapshot(page, 'queue-edit-retry');
    await form.getByRole('button', { name: 'Retry with this recipe' }).click();
    await page.locator('[data-filter="done"]', { hasText: '2' }).waitFor({ timeout: 20_000 });

    const { jobs } = await call('jobs.list', {});
    const byName = new Map(jobs.map((job) => [job.name, job]));
    assert.equal(byName.get('DSCN0012.jpg')?.stage, 'done');
    assert.equal(byName.get('Canon_40D.jpg')?.stage, 'done');
    assert.equal(byName.get('Canon_40D.jpg')?.recipe.prompt, 'Make it an oil painting');
    assert.equal(byName.get('notes.png')?.stage, 'failed');
    assert.equal(byName.get('notes.png')?.error?.code, 'not_image');
    assert.equal(byName.get('notes.png')?.error?.retryable, false);
  },
);
