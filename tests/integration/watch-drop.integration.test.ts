// Every other way in: a whole folder dropped (or picked) is walked recursively and what is not an
// image is reported in one sentence for the batch, never one notice per file.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { startTestEngine, tempDir } from '../support/engine-harness.ts';

test('a folder of 120 files with 3 non-images: 117 queued, one summary notice', async (t) => {
  const dropped = await tempDir(t);
  await mkdir(join(dropped, 'nested', 'deeper'), { recursive: true });
  for (let i = 0; i < 117; i++) {
    const background = { r: i, g: 3, b: 200 };
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background } })
      .png()
      .toBuffer();
    await writeFile(join(dropped, ['', 'nested', 'nested/deeper'][i % 3]!, `p-${i}.png`), png);
  }
  await writeFile(join(dropped, 'readme.txt'), 'notes');
  await writeFile(join(dropped, 'nested', 'invoice.pdf'), '%PDF-1.4');
  await writeFile(join(dropped, 'nested', 'deeper', 'data.json'), '{}');
  await writeFile(join(dropped, '.DS_Store'), 'hidden: not counted');

  const te = await startTestEngine(t);
  await te.call('queue.pause', {});
  const notices: string[] = [];
  te.engine.subscribe((event) => {
    if (event.name === 'notice') notices.push(event.payload.message);
  });

  const first = await te.call('jobs.enqueue', { paths: [dropped] });
  assert.equal(first.jobIds.length, 117);
  assert.equal(first.skipped.length, 3);
  assert.deepEqual(notices, ['3 of 120 files skipped: not images.']);

  const again = await te.call('jobs.enqueue', { paths: [dropped] });
  assert.equal(again.jobIds.length, 0, 'the same drop again queues nothing new');
  assert.equal(again.skipped.filter((skip) => skip.jobId).length, 117);
});
