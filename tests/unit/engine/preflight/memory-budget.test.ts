// The memory budget: a preparation's peak estimated from real headers (progressive coefficients,
// the whole image held to turn it, JPEG shrink-on-load), the gate that keeps two large
// preparations apart while small ones share it, and the sentence for one that can never fit.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp, { type JpegOptions } from 'sharp';
import { EngineFailure } from '../../../../main/contract/errors.ts';
import { detectFormat } from '../../../../main/engine/preflight/decoders/detect.ts';
import { planFor, readInfo } from '../../../../main/engine/preflight/pipeline/inspect.ts';
import { readJpegHeader } from '../../../../main/engine/preflight/decoders/jpeg-segments.ts';
import {
  createMemoryGate,
  memoryBudget,
  neededMemory,
  preparationBytes,
  type PreparationFacts,
} from '../../../../main/engine/preflight/pipeline/memory-budget.ts';
import { readSource } from '../../../../main/engine/preflight/pipeline/source.ts';
import { tempDir } from './helpers.ts';

const MB = 1024 * 1024;
const OVERHEAD = 48 * MB;

async function factsOf(path: string, maxDimension?: number): Promise<PreparationFacts> {
  const source = await readSource(path, 'x', 20_971_520);
  const format = detectFormat(source.head, 'x', source.size);
  const info = await readInfo(source, format);
  const settings = { metadata: 'strip' as const, maxDimension, maxBytes: 20_971_520 };
  const plan = planFor(source, format, info, { ...settings, animatedGif: 'reduce' });
  const jpeg = format === 'jpeg' ? readJpegHeader(source.head) : undefined;
  return { format, plan, held: source.bytes?.length ?? 0, jpeg };
}

async function jpeg(dir: string, name: string, options: JpegOptions, orientation = 1) {
  const path = join(dir, name);
  const create = { width: 2000, height: 1000, channels: 3 as const, background: '#4a7' };
  await sharp({ create }).jpeg(options).withMetadata({ orientation }).toFile(path);
  return path;
}

describe('the estimate, from the header', () => {
  test('a progressive 4:2:0 JPEG turned upright: its coefficients plus the whole image', async (t) => {
    const dir = await tempDir(t);
    const facts = await factsOf(await jpeg(dir, 'p.jpg', { progressive: true }, 6));
    assert.deepEqual([facts.jpeg?.progressive, facts.jpeg?.samplesPerPixel], [true, 1.5]);
    const pixels = 2000 * 1000;
    assert.equal(preparationBytes(facts), OVERHEAD + facts.held + pixels * 3 + pixels * 3);
  });

  test('a baseline 4:4:4 JPEG upright streams; shrink-on-load divides the turned image', async (t) => {
    const dir = await tempDir(t);
    const options = { chromaSubsampling: '4:4:4' } as const;
    const upright = await factsOf(await jpeg(dir, 'b.jpg', options));
    assert.deepEqual([upright.jpeg?.progressive, upright.jpeg?.samplesPerPixel], [false, 3]);
    assert.equal(preparationBytes(upright), OVERHEAD + upright.held);
    const turned = await jpeg(dir, 't.jpg', options, 8);
    const full = await factsOf(turned);
    assert.equal(preparationBytes(full), OVERHEAD + full.held + 2000 * 1000 * 3);
    const shrunk = await factsOf(turned, 240); // 1/8 still gives 250 × 125, at least 240 long
    assert.equal(preparationBytes(shrunk), OVERHEAD + shrunk.held + (2000 * 1000 * 3) / 64);
  });

  test('a rotated 16-bit PNG holds its whole image at two bytes a channel', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'deep.png');
    const create = { width: 600, height: 400, channels: 4 as const, background: '#4a7c' };
    await sharp({ create })
      .toColourspace('rgb16')
      .png()
      .withMetadata({ orientation: 3 })
      .toFile(path);
    const facts = await factsOf(path);
    assert.equal(preparationBytes(facts), OVERHEAD + facts.held + 600 * 400 * 4 * 2);
  });

  test('the budget is a quarter of the machine, never under 1 GiB', () => {
    assert.equal(memoryBudget(32 * 1024 * MB), 8 * 1024 * MB);
    assert.equal(memoryBudget(2 * 1024 * MB), 1024 * MB);
  });

  test('one that cannot fit alone is refused with its size and its need', async (t) => {
    const dir = await tempDir(t);
    const facts = await factsOf(await jpeg(dir, 'p.jpg', { progressive: true }, 6));
    const gate = createMemoryGate(50 * MB);
    const error = (() => {
      try {
        neededMemory('p.jpg', facts, gate);
      } catch (thrown) {
        return thrown;
      }
      return assert.fail('not refused');
    })();
    assert.ok(error instanceof EngineFailure);
    assert.equal(error.error.code, 'too_many_pixels');
    assert.equal(
      error.message,
      'p.jpg is 2000 × 1000 (2 megapixels); preparing it would take about 62 MB of memory, more than the 52 MB GenQueue allows on this computer.',
    );
    assert.equal(neededMemory('p.jpg', facts, createMemoryGate(100 * MB)), preparationBytes(facts));
  });
});

describe('the gate', () => {
  /** Runs the jobs through the gate; each waits until released by hand. Reports the most at once. */
  async function crowd(budget: number, sizes: number[]) {
    const gate = createMemoryGate(budget);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const jobs = sizes.map((bytes) =>
      gate.run(bytes, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      }),
    );
    // Release one job at a time, each after every queued admission has had its turn.
    for (let done = 0; done < sizes.length; done += 1) {
      while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
      releases.shift()!();
    }
    await Promise.all(jobs);
    return most;
  }

  test('two large preparations never run together', async () => {
    assert.equal(await crowd(1000, [600, 600, 600, 600]), 1);
  });

  test('small ones run side by side, up to the budget', async () => {
    assert.equal(await crowd(1000, [100, 100, 100, 100, 100, 100]), 6);
    assert.equal(await crowd(1000, [300, 300, 300, 300, 300]), 3);
  });

  test('one larger than the budget still runs, alone', async () => {
    assert.equal(await crowd(1000, [100, 1500, 100]), 1);
  });

  test('a waiter cancelled in the queue leaves it, and those behind it start', async () => {
    const gate = createMemoryGate(1000);
    let releaseFirst = () => {};
    const first = gate.run(600, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const controller = new AbortController();
    const large = gate.run(600, async () => 'ran', controller.signal);
    const small = gate.run(100, async () => 'small ran');
    controller.abort(new Error('cancelled'));
    await assert.rejects(large, /cancelled/);
    assert.equal(await small, 'small ran');
    releaseFirst();
    await first;
  });
});
