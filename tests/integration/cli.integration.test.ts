import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSimulator } from '../../main/simulator/simulator.ts';
import { finished, genqueue, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { CORPUS, tempDir } from '../support/paths.ts';

test('genqueue run against a simulator: the result and its sidecar land in --out, exit 0', async (t) => {
  const simulator = await startSimulator({ taskDurationMs: 200 });
  t.after(() => simulator.close());
  const home = await tempDir(t);
  const out = await tempDir(t);
  const source = join(CORPUS, 'jpg/orientation/portrait_3.jpg');
  const ran = await genqueue(['run', source, '--prompt', 'ink drawing', '--out', out], {
    APIMART_BASE_URL: simulator.url,
    APIMART_API_KEY: simulator.apiKey,
    GENQUEUE_HOME: home,
  });
  assert.equal(ran.code, 0, ran.stderr + ran.stdout);
  const files = (await readdir(out)).sort();
  assert.deepEqual(files, [
    'portrait_3-gemini-3-pro-image-preview-1.png',
    'portrait_3-gemini-3-pro-image-preview-1.png.json',
  ]);
  const sidecar = JSON.parse(await readFile(join(out, files[1]!), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.equal(sidecar.source, source);
  assert.equal(sidecar.prompt, 'ink drawing');
  assert.match(String(sidecar.taskId), /\S/);
  assert.match(ran.stdout, /^done {4}.*portrait_3\.jpg → /m);
  assert.match(ran.stdout, /1 of 1 done\./);
});

test('genqueue run --json prints one JSON object per line, ending with the summary', async (t) => {
  const home = await tempDir(t);
  const out = await tempDir(t);
  const ran = await genqueue(
    [
      'run',
      join(CORPUS, 'jpg/Canon_40D.jpg'),
      '--prompt',
      'x',
      '--out',
      out,
      '--json',
      '--simulate',
    ],
    {
      GENQUEUE_HOME: home,
    },
  );
  assert.equal(ran.code, 0, ran.stderr);
  const lines = ran.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(lines.some((line) => line.event === 'job.updated'));
  assert.deepEqual(lines.at(-1), {
    event: 'summary',
    total: 1,
    done: 1,
    failed: 0,
    pending: 0,
    home,
  });
});

test('a failed job makes the exit code 1', async (t) => {
  const home = await tempDir(t);
  const dir = await tempDir(t);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'empty.jpg'), '');
  const ran = await genqueue(['run', join(dir, 'empty.jpg'), '--prompt', 'x', '--simulate'], {
    GENQUEUE_HOME: home,
  });
  assert.equal(ran.code, 1);
  assert.match(ran.stdout, /^failed +.*empty\.jpg: .+/m);
});

test('usage mistakes, a missing key and an unreachable service each get one sentence, no stack trace', async (t) => {
  const home = await tempDir(t);
  const env = { GENQUEUE_HOME: home };
  const cases: [string[], Record<string, string>, number, RegExp][] = [
    [['run', 'x.jpg'], env, 2, /needs --prompt/],
    [['run', '--prompt', 'x'], env, 2, /needs at least one file or folder/],
    [['run', 'x.jpg', '--prompt', 'x', '--bogus'], env, 2, /Unknown option '--bogus'/],
    [['run', 'x.jpg', '--prompt', 'x', '--n', 'two'], env, 2, /--n takes a whole number/],
    [['frobnicate'], env, 2, /There is no command "frobnicate"/],
    [['run', 'x.jpg', '--prompt', 'x'], env, 2, /APIMART_API_KEY is not set/],
    [
      ['run', join(CORPUS, 'jpg/Canon_40D.jpg'), '--prompt', 'x', '--no-wait'],
      { ...env, APIMART_API_KEY: 'k', APIMART_BASE_URL: 'http://127.0.0.1:9' },
      1,
      /^genqueue: Cannot reach APIMart at http:\/\/127\.0\.0\.1:9: .+\. 1 job is kept in .+; run again to carry on\.\n$/,
    ],
  ];
  for (const [args, caseEnv, code, message] of cases) {
    const ran = await genqueue(args, caseEnv);
    assert.equal(ran.code, code, `${args.join(' ')}: ${ran.stderr}`);
    assert.match(ran.stderr, message);
    assert.doesNotMatch(ran.stderr, /\n\s+at /, 'a stack trace was printed');
  }
});

test('one engine per data directory: a second run names the holder, and status still answers', async (t) => {
  const { home, env } = await simulatorEnv(t, { taskDurationMs: 60_000, resultSize: 64 });
  const source = join(CORPUS, 'jpg/Canon_40D.jpg');
  const out = await tempDir(t);
  const first = spawnGenqueue(['run', source, '--prompt', 'x', '--json', '--out', out], env);
  const firstDone = finished(first);
  // Working (an event printed) or already ended: either way the race below is decided.
  await Promise.race([new Promise((resolve) => first.stdout.once('data', resolve)), firstDone]);

  const second = await genqueue(['run', source, '--prompt', 'x', '--out', out], env);
  assert.equal(second.code, 1);
  assert.match(
    second.stderr,
    new RegExp(
      `^genqueue: Another GenQueue \\(genqueue run, process ${first.pid}\\) is already working on the queue in `,
    ),
  );
  const status = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as {
    total: number;
    heldBy: { pid: number } | null;
  };
  assert.equal(status.total, 1);
  assert.equal(status.heldBy?.pid, first.pid);

  // Ctrl-C on the first: it stops at once, keeps the job, and lets go of the data directory.
  first.kill('SIGINT');
  const stopped = await firstDone;
  assert.equal(stopped.code, 130);
  const summary = JSON.parse(stopped.stdout.trim().split('\n').at(-2) ?? '{}') as Record<
    string,
    unknown
  >;
  assert.deepEqual(summary, { event: 'summary', total: 1, done: 0, failed: 0, pending: 1, home });
  const after = JSON.parse((await genqueue(['status', '--json'], env)).stdout) as {
    heldBy: unknown;
    total: number;
  };
  assert.equal(after.heldBy, null);
  assert.equal(after.total, 1);
});
