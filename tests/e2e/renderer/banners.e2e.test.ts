// The banners that tell the truth about a held queue, against a real engine and the simulator:
// offline appears when APIMart cannot be reached and clears by itself when it can again; a refused
// key and the person's own pause each say what happens next and offer the way out.
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
import { until } from '../../support/until.ts';

const skip = rendererSkipReason();
const WAIT = { timeout: 45_000 };

function pick(...names: string[]) {
  const paths = names.map((name) => join(CORPUS, 'jpg/orientation', name));
  return { pickPaths: async () => paths, open: async () => {}, reveal: async () => {} };
}

test(
  'the offline banner appears, and clears by itself when APIMart is back',
  { skip },
  async (t) => {
    const browser = await launchChromium(t);
    const { engine, simulator, home, call } = await startWindowEngine(t, {
      desktop: pick('landscape_2.jpg', 'portrait_2.jpg'),
    });
    await call('settings.update', { outputDir: join(home, 'out') });
    const page = await openApp(t, browser, engine);
    simulator.setFaults({ offline: true });

    await page.getByRole('button', { name: 'Add images' }).click();
    const banner = page.getByRole('status', { name: 'Queue paused: offline' });
    await banner.waitFor(WAIT);
    assert.match((await banner.textContent()) ?? '', /You are offline.*2 jobs wait.*by itself/);
    await snapshot(page, 'banner-offline');

    simulator.setFaults({ offline: false });
    await banner.waitFor({ state: 'detached', ...WAIT });
    await page.locator('[data-filter="done"]', { hasText: '2' }).waitFor(WAIT);
    assert.equal((await call('queue.stats', {})).paused, null);
  },
);

test(
  'a window opened while offline shows the banner and the next check at once',
  { skip },
  async (t) => {
    const browser = await launchChromium(t);
    const { engine, simulator, home, call } = await startWindowEngine(t, {
      desktop: pick('landscape_3.jpg'),
    });
    simulator.setFaults({ offline: true });
    await engine.handlers['jobs.enqueue']({
      paths: [join(CORPUS, 'jpg/orientation/landscape_3.jpg')],
      recipe: { outDir: join(home, 'out') },
    });
    await until(async () => (await call('net.status', {})).state === 'offline', 'offline');

    const page = await openApp(t, browser, engine);
    const banner = page.getByRole('status', { name: 'Queue paused: offline' });
    await banner.waitFor();
    // The next check's time comes from the snapshot: no event has reached this window yet.
    assert.match((await banner.textContent()) ?? '', /checks the connection again (in \d+ s|now)/);
  },
);

test('a refused key and a pause each get a banner with the way out', { skip }, async (t) => {
  const browser = await launchChromium(t);
  const { engine, simulator, home, call } = await startWindowEngine(t, {
    desktop: pick('landscape_4.jpg'),
  });
  await call('settings.update', { outputDir: join(home, 'out') });
  const page = await openApp(t, browser, engine);

  await page.getByRole('button', { name: 'Pause queue' }).click();
  const paused = page.getByRole('status', { name: 'Queue paused: user' });
  await paused.waitFor();
  assert.match((await paused.textContent()) ?? '', /nothing new starts until you resume/);
  await paused.getByRole('button', { name: 'Resume' }).click();
  await paused.waitFor({ state: 'detached' });

  simulator.setFaults({ auth: true });
  await page.getByRole('button', { name: 'Add images' }).click();
  const auth = page.getByRole('status', { name: 'Queue paused: auth' });
  await auth.waitFor(WAIT);
  assert.match(
    (await auth.textContent()) ?? '',
    /APIMart did not accept the API key.*1 job stays queued until a working key is set/,
  );
  await snapshot(page, 'banner-auth');
  await auth.getByRole('button', { name: 'Set API key' }).click();
  await page.getByRole('region', { name: 'Settings' }).waitFor();

  simulator.setFaults({ auth: false });
  await auth.getByRole('button', { name: 'Resume' }).click();
  await auth.waitFor({ state: 'detached', ...WAIT });
  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  await page.locator('[data-filter="done"]', { hasText: '1' }).waitFor(WAIT);
});
