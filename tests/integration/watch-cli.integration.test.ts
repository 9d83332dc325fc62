// `genqueue watch` as a real child process: it processes what lands in the folder, stops cleanly
// on SIGINT with exit 0, and the next start catches up on what arrived in between, once.
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { finished, printed, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { tempDir } from '../support/paths.ts';

function tinyPng(i: number): Promise<Buffer> {
  const background = { r: i, g: 120, b: 30 };
  return sharp({ create: { width: 16, height: 16, channels: 3, background } })
    .png()
    .toBuffer();
}

test(
  'genqueue watch: processes arrivals, exits 0 on SIGINT, catches up on the next start',
  { timeout: 60_000 },
  async (t) => {
    const { env } = await simulatorEnv(t, { taskDurationMs: 200 });
    const inbox = await tempDir(t);
    const out = await tempDir(t);
    const args = ['watch', inbox, '--prompt', 'ink drawing', '--out', out];

    const first = spawnGenqueue(args, env);
    const firstRan = finished(first);
    await printed(first, /^Watching one folder/);
    await writeFile(join(inbox, 'a.png'), await tinyPng(1));
    await writeFile(join(inbox, 'b.png'), await tinyPng(2));
    await printed(first, /^done {4}/, 2);
    first.kill('SIGINT');
    const ran = await firstRan;
    assert.equal(ran.code, 0, ran.stderr + ran.stdout);
    assert.match(ran.stdout, /Stopped\. Every job is kept in /);

    // While nothing watches: one new image, one copy of a processed one.
    await writeFile(join(inbox, 'c.png'), await tinyPng(3));
    await writeFile(join(inbox, 'copy-of-a.png'), await tinyPng(1));
    const second = spawnGenqueue(args, env);
    const secondRan = finished(second);
    const output = await printed(second, /^done {4}/);
    second.kill('SIGTERM');
    const again = await secondRan;
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.match(output, /^done {4}.*c\.png → /m);
    assert.doesNotMatch(again.stdout, /copy-of-a\.png/);
    const results = (await readdir(out)).filter((name) => name.endsWith('.png'));
    assert.deepEqual(results.map((name) => name.split('-')[0]).sort(), ['a', 'b', 'c']);
  },
);
