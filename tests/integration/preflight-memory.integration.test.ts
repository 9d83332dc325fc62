// A 16,000² progressive JPEG with orientation 6 (a flat colour: 1.5 MB on disk) took 1.6 GB to
// prepare, and a batch of them ran side by side. With a 1 GiB budget, it is refused from its header
// with a sentence saying what it would need; with a maximum dimension it shrinks while decoding and
// fits, and two of them run one after the other. Peak memory is read in a fresh process.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { REPO_ROOT } from '../support/paths.ts';

const MB = 1024 * 1024;
const BUDGET = 1024 * MB;
let dir = '';

interface Peak {
  peakBytes: number;
  results: { ok: boolean; width?: number; height?: number; message?: string }[];
}

async function preparedInChild(paths: string[], maxDimension?: number): Promise<Peak> {
  const script = join(REPO_ROOT, 'tests/support/prepare-peak.ts');
  const args = { paths, cacheDir: join(dir, 'cache'), budgetBytes: BUDGET, maxDimension };
  const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify(args)]);
  return JSON.parse(stdout) as Peak;
}

describe('a 256-megapixel progressive JPEG turned upright', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'genqueue-memory-'));
    const create = { width: 16_000, height: 16_000, channels: 3 as const, background: '#4a7' };
    await sharp({ create })
      .jpeg({ progressive: true, quality: 90 })
      .withMetadata({ orientation: 6 })
      .toFile(join(dir, 'giant.jpg'));
    await copyFile(join(dir, 'giant.jpg'), join(dir, 'giant-2.jpg'));
  });
  after(() => rm(dir, { recursive: true, force: true, maxRetries: 5 }));

  test('is refused from its header, naming its size and what it would need', async () => {
    const { peakBytes, results } = await preparedInChild([join(dir, 'giant.jpg')]);
    assert.deepEqual(results, [
      {
        ok: false,
        message:
          'giant.jpg is 16000 × 16000 (256 megapixels); preparing it would take about 1.6 GB of memory, more than the 1.1 GB GenQueue allows on this computer. A maximum dimension in Settings lets GenQueue shrink it while decoding.',
      },
    ]);
    assert.ok(peakBytes < 400 * MB, `peak ${Math.round(peakBytes / MB)} MB: it was decoded`);
  });

  test('with a maximum dimension, two of them are prepared one at a time within the budget', async () => {
    const paths = [join(dir, 'giant.jpg'), join(dir, 'giant-2.jpg')];
    const { peakBytes, results } = await preparedInChild(paths, 2048);
    const upright = { ok: true, width: 2048, height: 2048 };
    assert.deepEqual(results, [upright, upright]);
    // Each needs about 0.9 GB (its coefficients while decoding); side by side they took 1.7 GB.
    assert.ok(peakBytes < BUDGET + 256 * MB, `peak ${Math.round(peakBytes / MB)} MB`);
  });
});
