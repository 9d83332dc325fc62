// The streamed multipart body: exactly Content-Length bytes, a well-formed single file part whose
// payload is the file byte for byte, names escaped per WHATWG, progress counted in file bytes, and
// a file that is no longer the one checked (other bytes, longer, shorter) never sent whole.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineFailure } from '../../../../main/contract/errors.ts';
import { isFileChanged, multipartBody } from '../../../../main/engine/apimart/multipart.ts';

/** Collects the body, copying each chunk before pulling the next (the reader reuses its buffers). */
async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const copies: Buffer[] = [];
  for await (const chunk of chunks) copies.push(Buffer.from(chunk));
  return Buffer.concat(copies);
}

async function fileOf(t: TestContext, bytes: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genqueue-multipart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'f.bin');
  await writeFile(file, bytes);
  return file;
}

test('the body is one file part, byte for byte, exactly Content-Length long', async (t) => {
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const file = await fileOf(t, bytes);
  const progress: [number, number][] = [];
  const body = multipartBody(
    'file',
    { path: file, size: bytes.length, filename: 'a.png', contentType: 'image/png' },
    (sent, total) => progress.push([sent, total]),
  );
  const sent = await collect(body.chunks);
  assert.equal(sent.length, body.contentLength);
  const boundary = /boundary=(.+)$/.exec(body.contentType)?.[1];
  assert.ok(boundary);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
  assert.equal(sent.subarray(0, head.length).toString(), head);
  assert.ok(sent.subarray(head.length, head.length + bytes.length).equals(bytes));
  assert.equal(sent.subarray(head.length + bytes.length).toString(), `\r\n--${boundary}--\r\n`);
  assert.deepEqual(progress.at(-1), [bytes.length, bytes.length]);
  assert.ok(progress.length >= 4, 'progress arrives per chunk, not once at the end');
});

test('only the first `size` bytes are sent, even if the file grew since', async (t) => {
  const file = await fileOf(t, Buffer.from('0123456789'));
  const body = multipartBody('file', {
    path: file,
    size: 4,
    filename: 'a',
    contentType: 'image/png',
  });
  const sent = (await collect(body.chunks)).toString();
  assert.equal(sent.length, body.contentLength);
  assert.match(sent, /\r\n\r\n0123\r\n--/);
});

test('quotes and line breaks in a filename cannot break out of the header', async (t) => {
  const file = await fileOf(t, Buffer.from('x'));
  const body = multipartBody('file', {
    path: file,
    size: 1,
    filename: 'a"b\r\nX-Evil: 1.png',
    contentType: 'image/png\r\nX: y',
  });
  const sent = (await collect(body.chunks)).toString();
  assert.match(sent, /filename="a%22b%0D%0AX-Evil: 1\.png"\r\n/);
  assert.match(sent, /Content-Type: image\/pngX: y\r\n\r\n/);
  assert.equal(Buffer.byteLength(sent), body.contentLength);
});

test('an empty file still reports progress once and is well-formed', async (t) => {
  const file = await fileOf(t, Buffer.alloc(0));
  const progress: number[] = [];
  const body = multipartBody(
    'file',
    { path: file, size: 0, filename: 'e', contentType: 'image/png' },
    (sent) => progress.push(sent),
  );
  assert.equal((await collect(body.chunks)).length, body.contentLength);
  assert.deepEqual(progress, [0]);
});

test('a file that got shorter since its size was taken is an io error, not a hang', async (t) => {
  const file = await fileOf(t, Buffer.alloc(1000, 1));
  const body = multipartBody('file', {
    path: file,
    size: 5000,
    filename: 'a',
    contentType: 'image/png',
  });
  await assert.rejects(
    collect(body.chunks),
    (error: unknown) => error instanceof EngineFailure && error.error.code === 'io',
  );
});

/** Collects the body as far as it goes: the bytes yielded and the error that stopped it, if any. */
async function collectUntilError(
  chunks: AsyncIterable<Buffer>,
): Promise<{ sent: Buffer; error: unknown }> {
  const copies: Buffer[] = [];
  try {
    for await (const chunk of chunks) copies.push(Buffer.from(chunk));
  } catch (error) {
    return { sent: Buffer.concat(copies), error };
  }
  return { sent: Buffer.concat(copies), error: undefined };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('with the checked sha256, the same bytes are sent whole', async (t) => {
  const bytes = randomBytes(1024 * 1024 + 5);
  const file = await fileOf(t, bytes);
  const body = multipartBody('file', {
    path: file,
    size: bytes.length,
    filename: 'a.jpg',
    contentType: 'image/jpeg',
    sha256: sha256(bytes),
  });
  assert.equal((await collect(body.chunks)).length, body.contentLength);
});

for (const [change, edit] of [
  ['other bytes, same size', (bytes: Buffer) => Buffer.from(bytes).fill(7, 600_000, 600_001)],
  ['longer', (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('more')])],
  ['shorter', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1)],
] as const) {
  test(`a file changed since it was checked (${change}) fails the body before its closing boundary`, async (t) => {
    const checked = randomBytes(1024 * 1024 + 5);
    const file = await fileOf(t, edit(checked));
    const body = multipartBody('file', {
      path: file,
      size: checked.length,
      filename: 'a.jpg',
      contentType: 'image/jpeg',
      sha256: sha256(checked),
    });
    const { sent, error } = await collectUntilError(body.chunks);
    assert.ok(isFileChanged(error), `expected the file-changed failure, got ${String(error)}`);
    assert.equal(
      (error as EngineFailure).message,
      'a.jpg changed after GenQueue checked it; it will be checked again.',
    );
    assert.ok(sent.length < body.contentLength);
    assert.doesNotMatch(sent.toString('latin1'), /--\r\n$/);
  });
}
