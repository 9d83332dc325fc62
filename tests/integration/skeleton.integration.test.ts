import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { CORPUS, startTestEngine, tempDir } from '../support/engine-harness.ts';

test('a corpus photo goes through prepare, upload, submit, poll and download to a result with its sidecar', async (t) => {
  const { engine, simulator, call } = await startTestEngine(t);
  const out = await tempDir(t);
  const source = join(CORPUS, 'jpg/gps/DSCN0010.jpg');

  const { jobIds } = await call('jobs.enqueue', {
    paths: [source],
    recipe: { prompt: 'a watercolour', outDir: out },
  });
  assert.equal(jobIds.length, 1);
  assert.equal(await engine.settled(), 'idle');

  const [job] = await call('jobs.get', { ids: jobIds });
  assert.equal(job?.stage, 'done', JSON.stringify(job?.error));
  assert.equal(job.results.length, 1);
  const result = job.results[0]!;
  assert.ok(result.path.startsWith(out));
  assert.match(result.path, /DSCN0010-gemini-3-pro-image-preview-1\.png$/);
  const meta = await sharp(result.path).metadata();
  assert.equal(meta.format, 'png');

  const sidecar = JSON.parse(await readFile(result.sidecar, 'utf8')) as Record<string, unknown>;
  assert.equal(sidecar.source, source);
  assert.equal(sidecar.taskId, job.taskId);
  assert.equal(sidecar.model, 'gemini-3-pro-image-preview');
  assert.equal(sidecar.prompt, 'a watercolour');
  assert.match(String(sidecar.sourceSha256), /^[0-9a-f]{64}$/);

  const stats = simulator.stats();
  assert.equal(stats.uploads.length, 1);
  assert.equal(stats.tasks.length, 1);
  assert.equal(stats.tasks[0]?.prompt, 'a watercolour');
  assert.equal(stats.duplicateSubmissions, 0);
});

test('the same file with the same recipe is not queued twice unless forced', async (t) => {
  const { call } = await startTestEngine(t);
  const source = join(CORPUS, 'jpg/Canon_40D.jpg');
  const first = await call('jobs.enqueue', { paths: [source], recipe: { prompt: 'x' } });
  const again = await call('jobs.enqueue', { paths: [source], recipe: { prompt: 'x' } });
  assert.deepEqual(again.jobIds, []);
  assert.equal(again.skipped[0]?.jobId, first.jobIds[0]);
  const other = await call('jobs.enqueue', { paths: [source], recipe: { prompt: 'y' } });
  assert.equal(other.jobIds.length, 1);
  const forced = await call('jobs.enqueue', {
    paths: [source],
    recipe: { prompt: 'x' },
    force: true,
  });
  assert.equal(forced.jobIds.length, 1);
});

test('a file that is not an image fails at preparing with a sentence, and nothing is uploaded', async (t) => {
  const { engine, simulator, call } = await startTestEngine(t);
  const dir = await tempDir(t);
  const { writeFile } = await import('node:fs/promises');
  const fake = join(dir, 'notes.png');
  await writeFile(fake, 'just some text, not a picture\n');
  const { jobIds } = await call('jobs.enqueue', { paths: [fake], recipe: { prompt: 'x' } });
  assert.equal(await engine.settled(), 'idle');
  const [job] = await call('jobs.get', { ids: jobIds });
  assert.equal(job?.stage, 'failed');
  assert.equal(job.error?.code, 'not_image');
  assert.match(job.error?.message ?? '', /notes\.png/);
  assert.equal(simulator.stats().uploads.length, 0);
});

test('the window may open or reveal only files that belong to a job', async (t) => {
  const opened: string[] = [];
  const { engine, call } = await startTestEngine(t, {
    desktop: {
      pickPaths: async () => [],
      open: async (path) => void opened.push(path),
      reveal: async () => {},
    },
  });
  const source = join(CORPUS, 'jpg/Canon_40D.jpg');
  await call('jobs.enqueue', { paths: [source], recipe: { prompt: 'x' } });
  await call('shell.open', { path: source });
  for (const path of ['/bin/sh', '/etc/passwd', join(CORPUS, 'jpg/corrupted.jpg')]) {
    const refused = await engine.handlers['shell.reveal']({ path }).then(
      () => undefined,
      (error: { error?: { code?: string } }) => error.error?.code,
    );
    assert.equal(refused, 'not_found', path);
  }
  assert.deepEqual(opened, [source]);
});
