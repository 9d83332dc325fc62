// Damaged and non-image input: each file fails alone with one sentence that names it, and the
// rest of the batch carries on (checked through `genqueue prepare`).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { EngineFailure, type ErrorCode } from '../../main/contract/errors.ts';
import { prepareImage } from '../../main/engine/preflight/prepare.ts';
import { prepareCommand } from '../../main/hosts/cli/commands/prepare.ts';
import { CORPUS, tempDir } from '../unit/engine/preflight/helpers.ts';

async function failure(path: string, cacheDir: string): Promise<EngineFailure> {
  try {
    await prepareImage(path, { metadata: 'strip', cacheDir });
  } catch (error) {
    assert.ok(error instanceof EngineFailure, `not an EngineFailure: ${String(error)}`);
    return error;
  }
  assert.fail(`${path} was prepared`);
}

function oneSentence(message: string, name: string): void {
  assert.ok(message.startsWith(name), `"${message}" does not name ${name}`);
  assert.match(message, /^[^\n]+\.$/);
  assert.equal(message.split(/\.\s/).length, 1, `"${message}" is more than one sentence`);
}

describe('damaged input fails with one sentence', () => {
  const cases: [name: string, code: ErrorCode, make: (dir: string) => Promise<Buffer>][] = [
    [
      'cut.jpg',
      'corrupt',
      async () => (await readFile(join(CORPUS, 'jpg/gps/DSCN0010.jpg'))).subarray(0, 60_000),
    ],
    [
      'cut.png',
      'corrupt',
      async () => {
        const png = await sharp({
          create: {
            width: 300,
            height: 300,
            channels: 3,
            background: '#000',
            noise: { type: 'gaussian', mean: 100, sigma: 30 },
          },
        })
          .png()
          .toBuffer();
        return png.subarray(0, png.length / 2);
      },
    ],
    [
      'cut.heic',
      'corrupt',
      async () => (await readFile(join(CORPUS, 'heic/samplefilehub.heif'))).subarray(0, 12_000),
    ],
    [
      'garbage-after-header.jpg',
      'corrupt',
      async () =>
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.alloc(5000, 0x5a)]),
    ],
    ['empty.jpg', 'not_image', async () => Buffer.alloc(0)],
    ['notes.png', 'not_image', async () => Buffer.from('Shopping list:\n- eggs\n- milk\n')],
    [
      'noise.jpg',
      'not_image',
      async () => Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 251)),
    ],
  ];
  for (const [name, code, make] of cases) {
    test(`${name}: ${code}`, async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, name);
      await writeFile(path, await make(dir));
      const error = await failure(path, join(dir, 'cache'));
      assert.equal(error.error.code, code, error.message);
      oneSentence(error.message, name);
      t.diagnostic(error.message);
    });
  }

  test('a cut-short file never passes through, whatever the metadata setting', async (t) => {
    const dir = await tempDir(t);
    const clean = await sharp({
      create: {
        width: 400,
        height: 300,
        channels: 3,
        background: '#345',
        noise: { type: 'gaussian', mean: 90, sigma: 30 },
      },
    })
      .jpeg()
      .toBuffer();
    const path = join(dir, 'half.jpg');
    await writeFile(path, clean.subarray(0, clean.length - 3000));
    for (const metadata of ['strip', 'keep', 'keep-with-gps'] as const) {
      const error = await prepareImage(path, { metadata, cacheDir: dir }).then(
        () => assert.fail(`passed with ${metadata}`),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof EngineFailure);
      assert.equal(
        error.message,
        'half.jpg is damaged: its JPEG data ends early, as if the file was cut short.',
      );
    }
  });

  test('a folder, a missing file and an unreadable file are io failures', async (t) => {
    const dir = await tempDir(t);
    const folder = join(dir, 'album.jpg');
    await mkdir(folder);
    assert.match((await failure(folder, dir)).message, /^album\.jpg is a folder/);
    const missing = await failure(join(dir, 'gone.jpg'), dir);
    assert.equal(missing.error.code, 'io');
    oneSentence(missing.message, 'gone.jpg');
    if (process.getuid?.() === 0) {
      t.diagnostic(
        'running as root, which reads any file: the permission case cannot be made here',
      );
      return;
    }
    const locked = join(dir, 'locked.jpg');
    await copyFile(join(CORPUS, 'jpg/Canon_40D.jpg'), locked);
    await chmod(locked, 0o000);
    const denied = await failure(locked, dir);
    assert.equal(denied.error.code, 'io');
    assert.equal(denied.message, 'locked.jpg cannot be read: permission denied.');
  });

  test('genqueue prepare carries on past failures and exits 1', async (t) => {
    const dir = await tempDir(t);
    const input = join(dir, 'in');
    await mkdir(input);
    await copyFile(join(CORPUS, 'jpg/gps/DSCN0012.jpg'), join(input, 'a-good.jpg'));
    await writeFile(join(input, 'b-bad.jpg'), 'not really a photo');
    await copyFile(join(CORPUS, 'tiff/BSG1.tiff'), join(input, 'c-good.tiff'));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const code = await prepareCommand(
      { paths: [input], out: join(dir, 'out'), json: true, metadata: 'strip' },
      { stdout, stderr },
    );
    assert.equal(code, 1);
    const lines = text
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            source: string;
            ok: boolean;
            output: string | null;
            error?: { code: string };
          },
      );
    assert.deepEqual(
      lines.map((l) => [l.source.split('/').pop(), l.ok]),
      [
        ['a-good.jpg', true],
        ['b-bad.jpg', false],
        ['c-good.tiff', true],
      ],
    );
    assert.equal(lines[1]?.error?.code, 'not_image');
    assert.equal(lines[2]?.output, join(dir, 'out', 'c-good.png'));
    assert.equal((await sharp(join(dir, 'out', 'a-good.jpg')).metadata()).exif, undefined);
  });
});
