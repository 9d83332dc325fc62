// The Results view against a real engine with a few hundred finished jobs (seeded through the jobs
// store: three batches, four prompts, two models, a watched folder): filter, search, sort, group,
// select with mouse and keys, export into a picked folder (never over a file), remove from the
// list (files stay), and the full-screen compare zooming and panning before and after in step.
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { DesktopPort } from '../../../main/engine/host/ports.ts';
import { CORPUS, tempDir } from '../../support/engine-harness.ts';
import {
  launchChromium,
  openApp,
  rendererSkipReason,
  snapshot,
  startWindowEngine,
} from '../../support/renderer-harness.ts';
import { seedResults, seedWatchFolder, type SeedResult } from '../../support/seed-results.ts';

const skip = rendererSkipReason();
const DAY = 86_400_000;
const PROMPTS = [
  'Make it a watercolour painting',
  'Turn it into a night scene with neon lights',
  'Pencil sketch on rough paper',
  'Autumn colours, soft morning fog',
];
const MODELS = ['gemini-3-pro-image-preview', 'gpt-image-2-official'];
const HUES = ['#4f46e5', '#0ea5e9', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#ec4899'];

/** A small gradient PNG, one per hue, so the grid looks like images and not blocks. */
function gradient(from: string, to: string, width = 160, height = 120): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="50%" cy="55%" r="22%" fill="#ffffff55"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

interface Seeded {
  seeds: SeedResult[];
  folder: string;
}

/** 300 results: batches of 100 finished 10 days, 3 days and a moment ago; every 7th is a sunset. */
async function manyResults(t: TestContext, home: string, now: number): Promise<Seeded> {
  const images = await Promise.all(HUES.map((hue, i) => gradient(hue, HUES[(i + 3) % 7]!)));
  const source = await gradient('#334155', '#94a3b8');
  const folder = await tempDir(t);
  const folderId = seedWatchFolder(home, folder);
  const batches = [now - 10 * DAY, now - 3 * DAY, now - 1000];
  const seeds = Array.from({ length: 300 }, (_, i): SeedResult => {
    const batch = Math.floor(i / 100);
    return {
      source: `${i % 7 === 0 ? 'sunset' : 'photo'}-${String(i).padStart(3, '0')}.png`,
      sourceBytes: source,
      prompt: PROMPTS[i % 4]!,
      model: MODELS[i % 3 === 0 ? 1 : 0]!,
      batchAt: batches[batch]! - 60_000,
      finishedAt: batches[batch]! + (i % 100) * 10,
      results: i % 10 === 0 ? [images[i % 7]!, images[(i + 1) % 7]!] : [images[i % 7]!],
      ...(i >= 260 && { folderId }),
      // What a task cost is known for one model's results here, not the other's.
      ...(i % 3 !== 0 && { costMicros: 40_000 }),
    };
  });
  await seedResults(home, seeds);
  return { seeds, folder };
}

function desktop(picked: string[]): DesktopPort {
  return { pickPaths: async () => picked, open: async () => {}, reveal: async () => {} };
}

async function totalIs(page: Page, total: number): Promise<void> {
  await page.locator(`.results-grid[data-total="${total}"]`).waitFor();
}

async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  // The choices arrive with the engine's facets.
  await select.locator('option').filter({ hasText: option }).first().waitFor({ state: 'attached' });
  const options = await select.locator('option').evaluateAll((nodes) =>
    nodes.map((node) => ({
      value: node.getAttribute('value') ?? '',
      text: node.textContent ?? '',
    })),
  );
  const found = options.find((o) =>
    typeof option === 'string' ? o.text === option : option.test(o.text),
  );
  assert.ok(
    found,
    `${label} offers ${option} (it offers ${options.map((o) => o.text).join(', ')})`,
  );
  await select.selectOption(found.value);
}

const cardNames = (page: Page) =>
  page.locator('.result-card .card-name').evaluateAll((nodes) => nodes.map((n) => n.textContent));

test(
  'three hundred results filter, search, sort, group, select, export and leave the list',
  { skip },
  async (t) => {
    const home = await tempDir(t);
    const exportDir = await tempDir(t);
    const now = Date.now();
    const { seeds } = await manyResults(t, home, now);
    const browser = await launchChromium(t);
    const { engine, call } = await startWindowEngine(t, { home, desktop: desktop([exportDir]) });
    const page = await openApp(t, browser, engine, { width: 1400, height: 900 });
    await page.getByRole('button', { name: 'Results' }).click();
    await totalIs(page, 300);
    assert.deepEqual((await cardNames(page)).slice(0, 2), ['photo-299.png', 'photo-298.png']);
    const facts = await page
      .locator('.result-card .card-facts')
      .evaluateAll((nodes) => nodes.slice(0, 3).map((n) => n.textContent));
    assert.match(facts[0]!, / · \$0\.04 · gemini-3-pro-image-preview$/, 'a known cost on its card');
    assert.doesNotMatch(facts[2]!, /\$/, 'no cost where none is known');

    const gpt = seeds.filter((s) => s.model === MODELS[1]).length;
    await choose(page, 'Model', new RegExp(`^${MODELS[1]} \\(${gpt}\\)$`));
    await totalIs(page, gpt);
    await choose(page, 'Date', 'Today');
    await totalIs(page, seeds.filter((s, i) => s.model === MODELS[1] && i >= 200).length);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await totalIs(page, 300);

    await page.getByLabel('Search results').fill('SUNSET');
    await totalIs(page, seeds.filter((s) => s.source.startsWith('sunset')).length);
    await page.getByLabel('Search results').fill('neon');
    await totalIs(page, 75);
    await page.getByLabel('Search results').fill('');
    await totalIs(page, 300);
    await choose(page, 'Watched folder', /\(40\)$/);
    await totalIs(page, 40);
    await choose(page, 'Watched folder', 'Any folder');

    await choose(page, 'Sort', 'Name');
    await totalIs(page, 300);
    await page
      .locator('.result-card .card-name')
      .first()
      .filter({ hasText: /^photo-001\.png$/ })
      .waitFor();
    await choose(page, 'Group', 'By batch');
    const headers = page.locator('.grid-header h2');
    await headers.first().waitFor();
    assert.match((await headers.first().textContent()) ?? '', /^Batch of /);
    assert.match((await page.locator('.grid-header').first().textContent()) ?? '', /100 results/);
    const batchLabels = await page
      .getByLabel('Batch', { exact: true })
      .locator('option')
      .allTextContents();
    assert.equal(batchLabels.length, 4, 'all batches and the three batches');

    await choose(page, 'Group', 'By prompt');
    await choose(page, 'Prompt', /^Pencil sketch on rough paper \(75\)$/);
    await totalIs(page, 75);
    await choose(page, 'Group', 'No grouping');
    await choose(page, 'Model', /^gemini/);
    await totalIs(
      page,
      seeds.filter((s) => s.prompt === PROMPTS[2] && s.model === MODELS[0]).length,
    );

    // Select: a click, a Shift+click, then the keyboard.
    const cards = page.locator('.result-card[data-index]');
    await cards.nth(0).click();
    await cards.nth(3).click({ modifiers: ['Shift'] });
    await page.getByText('4 results selected').waitFor();
    await cards.nth(5).click({ modifiers: ['Control'] });
    await page.getByText('5 results selected').waitFor();
    await snapshot(page, 'results-filtered');

    await cards.nth(0).click();
    await page.keyboard.press('ArrowRight');
    assert.equal(await cards.nth(1).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate('document.activeElement?.getAttribute("data-index")'), '1');
    await page.keyboard.press('Shift+ArrowRight');
    await page.getByText('2 results selected').waitFor();

    // Export: one name is already taken in the folder, and stays as it was.
    // Selected: cards 1 and 2 (the arrow moved the anchor to 1).
    const [second, first] = await Promise.all(
      [1, 2].map((i) => cards.nth(i).getAttribute('aria-label')),
    );
    const takenName = first!.replace(/^Result /, '');
    await writeFile(join(exportDir, takenName), 'mine');
    await page.getByRole('button', { name: 'Export to folder…' }).click();
    await page.getByText(/^Copied \d+ images with their sidecars to /).waitFor();
    assert.equal(await readFile(join(exportDir, takenName), 'utf8'), 'mine', 'never over a file');
    const exported = (await readdir(exportDir)).sort();
    const secondName = second!.replace(/^Result /, '');
    assert.ok(
      exported.includes(secondName) && exported.includes(`${secondName}.json`),
      exported.join(),
    );
    const numbered = takenName.replace(/\.png$/, ' (2).png');
    assert.ok(
      exported.includes(numbered) && exported.includes(`${numbered}.json`),
      `the taken name got a number, its sidecar with it: ${exported.join()}`,
    );
    const { jobs } = await call('jobs.list', { filter: 'done', limit: 1000 });
    const original = jobs.flatMap((job) => job.results).find((r) => r.path.endsWith(secondName));
    assert.deepEqual(await readFile(join(exportDir, secondName)), await readFile(original!.path));

    // Remove from the list: the jobs go, the files stay.
    const shown = Number(await page.locator('.results-grid').getAttribute('data-total'));
    await page.getByRole('button', { name: 'Remove from list' }).click();
    await page.getByText(/Took 2 results off the list\. The files stay on disk\./).waitFor();
    await totalIs(page, shown - 2);
    assert.ok((await stat(original!.path)).isFile(), 'the result is still on disk');
  },
);

test('the full-screen compare zooms and pans before and after in step', { skip }, async (t) => {
  const home = await tempDir(t);
  const photo = join(CORPUS, 'jpg/orientation/landscape_1.jpg');
  const tints = await Promise.all(
    [90, 200, 300].map((hue) => sharp(photo).modulate({ hue, saturation: 1.6 }).png().toBuffer()),
  );
  const wide = await gradient('#111827', '#f97316', 4200, 300);
  const now = Date.now();
  const base = { prompt: PROMPTS[0]!, model: MODELS[0]!, batchAt: now - 60_000 };
  await seedResults(home, [
    { ...base, source: 'wide.png', sourceBytes: wide, finishedAt: now - 3000, results: [wide] },
    { ...base, source: photo, finishedAt: now - 2000, results: tints },
    { ...base, source: photo, prompt: PROMPTS[1]!, finishedAt: now - 1000, results: [tints[1]!] },
  ]);
  const browser = await launchChromium(t);
  const { engine, call } = await startWindowEngine(t, { home });
  const page = await openApp(t, browser, engine, { width: 1400, height: 900 });
  await page.getByRole('button', { name: 'Results' }).click();
  await totalIs(page, 3);

  const { results } = await call('results.list', {});
  const bounded = await call('results.image', { id: results[2]!.id, which: 'result' });
  assert.equal(bounded.width, 4096, 'a result wider than 4096 px comes scaled down');
  assert.match(bounded.dataUrl, /^data:image\/webp;base64,/);
  const exact = await call('results.image', { id: results[1]!.id, which: 'result', index: 2 });
  assert.deepEqual(Buffer.from(exact.dataUrl.split(',')[1]!, 'base64'), tints[2], 'shown as it is');

  await page.locator('.result-card[data-index="1"]').dblclick();
  const dialog = page.getByRole('dialog', { name: 'Compare' });
  await dialog.locator('[data-full="ready"]').nth(1).waitFor();
  assert.match((await dialog.locator('h2').textContent()) ?? '', /landscape_1\.jpg/);
  assert.match((await dialog.locator('.compare-title p').textContent()) ?? '', /2 of 3/);
  const slider = dialog.getByRole('slider', { name: 'Compare before and after' });
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await slider.getAttribute('aria-valuenow'), '49');

  await dialog.getByRole('button', { name: 'Side by side' }).click();
  const panes = dialog.locator('[data-zoom-pane]');
  assert.equal(await panes.count(), 2);
  await dialog.locator('[data-full="ready"]').nth(1).waitFor();
  const box = (await panes.nth(0).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3 + 40, box.y + box.height * 0.4 + 25, { steps: 4 });
  await page.mouse.up();
  const transforms = await dialog
    .locator('.zoom-image')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('style') ?? ''));
  assert.equal(transforms.length, 2);
  assert.equal(transforms[0], transforms[1], 'before and after zoom and pan in step');
  const scale = Number(/scale\(([\d.]+)\)/.exec(transforms[0]!)?.[1]);
  assert.ok(scale > 2, `zoomed in: ${transforms[0]}`);
  assert.match(transforms[0]!, /translate\((?!0px, 0px)/, 'panned');
  await snapshot(page, 'compare-fullscreen');

  await dialog.getByRole('button', { name: '1:1' }).click();
  assert.equal(await dialog.getByLabel('Zoom level').textContent(), '100 %');
  await dialog.getByRole('button', { name: 'Siblings (3)' }).click();
  assert.equal(await panes.count(), 3);
  await dialog.press('ArrowRight');
  await dialog.locator('.compare-title p', { hasText: '3 of 3' }).waitFor();
  await dialog.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});
