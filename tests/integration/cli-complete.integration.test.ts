// The `genqueue` command as outside tools drive it (issue 15, deliverable 4): listing jobs, queue
// changes without a key, resuming, retries that never turn into duplicates, waiting offline,
// usage mistakes, overlapping paths, watched folders, --version, prepare's summary, a status
// that never contradicts itself, and file names that cannot drive the terminal.
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { finished, genqueue, printed, simulatorEnv, spawnGenqueue } from '../support/cli.ts';
import { makeImages } from '../support/images.ts';
import { CORPUS, REPO_ROOT, tempDir } from '../support/paths.ts';
import { until } from '../support/until.ts';

type Json = Record<string, unknown>;

function jsonLines(stdout: string): Json[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);
}

async function statusJson(env: Record<string, string>): Promise<Json> {
  return JSON.parse((await genqueue(['status', '--json'], env)).stdout) as Json;
}

test('jobs and status read a queue another run holds; after Ctrl-C the job is interrupted, and run without paths resumes it', async (t) => {
  // The task stays unfinished through the checks below, however slow the machine, until the
  // resumed run.
  const { simulator, env } = await simulatorEnv(t, { taskDurationMs: 300 });
  simulator.setFaults({ holdTasks: true });
  const dir = await tempDir(t);
  const [source] = await makeImages(dir, 1);
  const first = spawnGenqueue(['run', source!, '--prompt', 'x', '--json'], env);
  const firstDone = finished(first);
  const activeJobs = async (): Promise<Json[]> =>
    jsonLines((await genqueue(['jobs', '--json', '--state', 'active'], env)).stdout);
  await until(async () => (await activeJobs())[0]?.stage === 'running', 'the job to be running');

  const listed = await genqueue(['jobs'], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`^j_\\w+ +running +${source}\\n$`));
  assert.equal((await activeJobs())[0]?.source, source);
  assert.equal(
    (await genqueue(['jobs', '--state', 'failed'], env)).stdout,
    `No failed jobs in ${env.GENQUEUE_HOME}.\n`,
  );
  assert.equal((await statusJson(env)).interrupted, 0, 'a held queue is not interrupted');

  first.kill('SIGINT');
  assert.equal((await firstDone).code, 130);
  const status = await genqueue(['status'], env);
  assert.doesNotMatch(status.stdout, /^ +running/m, status.stdout);
  assert.match(status.stdout, /^ +interrupted +1 \(resumes at the next run\)$/m);
  assert.match(status.stdout, /No GenQueue is processing it/);
  assert.deepEqual(
    (await statusJson(env)).counts,
    { running: 1 },
    '--json keeps the stored stages',
  );
  assert.equal((await statusJson(env)).interrupted, 1);
  assert.match(
    (await genqueue(['jobs'], env)).stdout,
    /^j_\w+ +interrupted +.*: stopped while running; resumes at the next run$/m,
  );

  simulator.setFaults({ holdTasks: false });
  const resumed = await genqueue(['run'], env);
  assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
  assert.match(resumed.stdout, /1 of 1 done\./);
  assert.equal(simulator.stats().tasks.length, 1, 'the resumed job was polled, not paid again');
  const nothing = await genqueue(['run'], env);
  assert.equal(nothing.code, 0);
  assert.match(nothing.stdout, /Nothing to do: the queue in .* has no unfinished jobs\./);
});

test('retry, cancel, status and jobs need no key, with or without --simulate', async (t) => {
  const home = await tempDir(t);
  const dir = await tempDir(t);
  await writeFile(join(dir, 'empty.jpg'), '');
  const made = await genqueue(['run', join(dir, 'empty.jpg'), '--prompt', 'x', '--simulate'], {
    GENQUEUE_HOME: home,
  });
  assert.equal(made.code, 1, made.stdout + made.stderr);
  for (const simulate of [[], ['--simulate']]) {
    const env = { GENQUEUE_HOME: home };
    const listed = await genqueue(['jobs', '--json', ...simulate], env);
    const [job] = jsonLines(listed.stdout);
    assert.equal(job?.stage, 'failed', `${simulate.join('')} ${listed.stdout} ${listed.stderr}`);
    assert.match(
      (await genqueue(['jobs', '--state', 'failed', ...simulate], env)).stdout,
      /^j_\w+ +failed +.*empty\.jpg: .+/,
    );
    const retried = await genqueue(['retry', '--failed', ...simulate], env);
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /^1 job queued again/);
    assert.equal(
      (await genqueue(['jobs', '--state', 'queued', ...simulate], env)).stdout.split('\n').length,
      2,
    );
    const cancelled = await genqueue(['cancel', String(job?.id), ...simulate], env);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /^1 of 1 job cancelled\./);
    assert.equal((await genqueue(['status', ...simulate], env)).code, 0);
    await genqueue(['retry', String(job?.id)], env);
    const rerun = await genqueue(['run', '--simulate'], env); // fails it again for the next round
    assert.match(rerun.stdout, /^failed +.*empty\.jpg/m, rerun.stdout + rerun.stderr);
  }
});

test('running a folder again after retry --failed never fails the retried jobs as duplicates', async (t) => {
  const { simulator, env } = await simulatorEnv(t);
  const dir = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(dir, 2);
  const runDir = (...extra: string[]) =>
    genqueue(['run', dir, '--prompt', 'x', '--out', out, ...extra], env);
  simulator.setFaults({ taskFailure: 'not today' });
  assert.equal((await runDir()).code, 1);
  assert.equal((await runDir()).code, 1, 'a second run of the failed folder');
  // An older queue may already hold two jobs for one file: --force still makes them.
  assert.equal((await runDir('--force')).code, 1);
  simulator.resetFaults();
  const retried = await genqueue(['retry', '--failed'], env);
  assert.match(
    retried.stdout,
    /^2 jobs queued again/,
    'one job per file, its twins left as they are',
  );
  const again = await runDir();
  assert.equal(again.code, 0, again.stdout);
  assert.doesNotMatch(again.stdout, /duplicate|The same image/i);
  assert.match(again.stdout, /2 of 2 done\./);
  const failed = jsonLines((await genqueue(['jobs', '--json', '--state', 'failed'], env)).stdout);
  assert.ok(failed.every((job) => (job.error as Json).code !== 'duplicate'));
});

test('APIMart unreachable at start: the jobs are queued and run waits offline until it answers; --no-wait gives up, keeping them', async (t) => {
  const { simulator, env } = await simulatorEnv(t);
  const dir = await tempDir(t);
  await makeImages(dir, 2);
  simulator.setFaults({ offline: true });
  const gaveUp = await genqueue(['run', dir, '--prompt', 'x', '--out', dir, '--no-wait'], env);
  assert.equal(gaveUp.code, 1);
  assert.match(
    gaveUp.stderr,
    /^genqueue: Cannot reach APIMart at .+\. 2 jobs are kept in .+; run again to carry on\.\n$/,
  );
  assert.deepEqual((await statusJson(env)).total, 2);

  const child = spawnGenqueue(['run', dir, '--prompt', 'x', '--out', dir], env);
  const ran = finished(child);
  const said = await printed(child, /Offline: waiting for APIMart/);
  assert.match(said, /Cannot reach APIMart at .+ The jobs are queued: waiting for it to answer/);
  simulator.setFaults({ offline: false });
  const result = await ran;
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /Back online\.[\s\S]*2 of 2 done\./);
});

test('usage mistakes exit 2 with one sentence, before anything is queued', async (t) => {
  const home = await tempDir(t);
  const photo = join(CORPUS, 'jpg/Canon_40D.jpg');
  const env = { GENQUEUE_HOME: home, APIMART_API_KEY: 'k', APIMART_BASE_URL: 'http://127.0.0.1:9' };
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--n', '0'], env, /^--n takes a whole number of 1 or more, not "0"\.$/],
    [['--n', 'abc'], env, /^--n takes a whole number of 1 or more, not "abc"\.$/],
    [['--size', '7:5'], env, /^gemini-3-pro-image-preview takes size .+; this job asks for 7:5\.$/],
    [
      ['--model', 'gpt-image-2', '--resolution', '2K'],
      env,
      /^gpt-image-2 takes resolution 1k, 2k or 4k; this job asks for 2K\.$/,
    ],
    [
      ['--model', 'gpt-image-2', '--size', '16:9', '--n', '2', '--json'],
      env,
      /^gpt-image-2 makes exactly 1 image per request; this job asks for 2\.$/,
    ],
    [
      [],
      { ...env, APIMART_BASE_URL: 'not-a-url' },
      /^APIMART_BASE_URL must be an http:\/\/ or https:\/\/ URL, not "not-a-url"\.$/,
    ],
    [['--bogus'], env, /^Unknown option '--bogus'\.$/],
  ];
  for (const [flags, caseEnv, message] of cases) {
    const ran = await genqueue(['run', photo, '--prompt', 'x', ...flags], caseEnv);
    assert.equal(ran.code, 2, `${flags.join(' ')}: ${ran.stderr}`);
    const [sentence, hint, ...more] = ran.stderr.replace(/^genqueue: /, '').split('\n');
    assert.match(sentence ?? '', message);
    assert.equal(hint, 'Run "genqueue --help" for usage.');
    assert.deepEqual(more, ['']);
    assert.equal((sentence?.match(/'/g) ?? []).length % 2, 0, `balanced quotes: ${sentence}`);
  }
  assert.equal((await statusJson(env)).total, 0, 'nothing was queued');
  assert.equal((await genqueue(['jobs', '--state', 'nope'], env)).code, 2);
});

test('a file given directly and through its folder is one job', async (t) => {
  const { env } = await simulatorEnv(t);
  const dir = await tempDir(t);
  const [a] = await makeImages(dir, 2);
  const ran = await genqueue(
    ['run', a!, dir, join(dir, '.', 'img-0000.png'), '--prompt', 'x', '--out', dir],
    env,
  );
  assert.equal(ran.code, 0, ran.stdout + ran.stderr);
  assert.match(ran.stdout, /2 of 2 done\./);
  assert.equal((await statusJson(env)).total, 2);
});

test('watch says every folder it watches and with which recipe; --list and --remove manage them', async (t) => {
  const { env } = await simulatorEnv(t);
  const earlier = await tempDir(t);
  const inbox = await tempDir(t);
  const out = await tempDir(t);
  /** Starts watch, waits for its list of `folders` folders, and stops it. */
  const start = async (args: string[], folders: number) => {
    const child = spawnGenqueue(['watch', ...args], env);
    const ran = finished(child);
    const said = await printed(child, /^ {2}\/.*: .* → .*\n/, folders);
    child.kill('SIGINT');
    assert.equal((await ran).code, 0);
    return said;
  };
  await start([earlier, '--prompt', 'ink', '--out', out], 1);
  const said = await start(
    [inbox, '--prompt', 'oil paint', '--model', 'gpt-image-2', '--size', '16:9'],
    2,
  );
  assert.match(said, /^Watching 2 folders; Ctrl-C to stop/m);
  assert.match(said, new RegExp(`^  ${earlier}: gemini-3-pro-image-preview, "ink" → ${out}$`, 'm'));
  assert.match(said, new RegExp(`^  ${inbox}: gpt-image-2, "oil paint", size 16:9 → `, 'm'));

  const listed = await genqueue(['watch', '--list'], { GENQUEUE_HOME: env.GENQUEUE_HOME });
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.trim().split('\n').length, 2);
  const removed = await genqueue(['watch', '--remove', earlier], {
    GENQUEUE_HOME: env.GENQUEUE_HOME,
  });
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stdout, `No longer watching ${earlier}.\n`);
  const views = jsonLines((await genqueue(['watch', '--list', '--json'], env)).stdout);
  assert.deepEqual(
    views.map((view) => view.path),
    [inbox],
  );
  assert.equal((await genqueue(['watch', '--remove', earlier], env)).code, 1);
  assert.equal((await genqueue(['watch', '--remove'], env)).code, 2);
});

test('--version and -V print the package version', async () => {
  const { version } = JSON.parse(
    await import('node:fs/promises').then((fs) =>
      fs.readFile(join(REPO_ROOT, 'package.json'), 'utf8'),
    ),
  ) as { version: string };
  for (const flag of ['--version', '-V']) {
    const ran = await genqueue([flag], {});
    assert.equal(ran.code, 0);
    assert.equal(ran.stdout, `${version}\n`);
  }
});

test('prepare ends with a summary line (on standard error with --json, whose output stays one object per file)', async (t) => {
  const dir = await tempDir(t);
  const out = await tempDir(t);
  await makeImages(dir, 2);
  await writeFile(join(dir, 'broken.png'), 'not a png');
  const env = { GENQUEUE_HOME: await tempDir(t) };
  const ran = await genqueue(['prepare', dir, '--out', out], env);
  assert.equal(ran.code, 1);
  assert.match(
    ran.stdout,
    /\n2 prepared, 1 could not be: \d+ (bytes|KB|MB) → \d+ (bytes|KB|MB)\n$/,
  );
  const json = await genqueue(['prepare', dir, '--out', out, '--json'], env);
  assert.deepEqual(
    jsonLines(json.stdout).map((line) => line.ok),
    [false, true, true],
    'standard output stays one object per file',
  );
  assert.match(json.stderr, /^2 prepared, 1 could not be: /m);
});

test('file names with newlines, escapes and bidi overrides are shown escaped; --json stays exact', async (t) => {
  const home = await tempDir(t);
  const dir = await tempDir(t);
  const [made] = await makeImages(dir, 1);
  const nasty = join(dir, 'evil\n\u001b[31mred\u202egnp.png');
  await copyFile(made!, nasty);
  await mkdir(join(dir, 'out'));
  const env = { GENQUEUE_HOME: home };
  const ran = await genqueue(
    ['run', nasty, '--prompt', 'x', '--simulate', '--out', join(dir, 'out')],
    env,
  );
  assert.equal(ran.code, 0, ran.stderr + ran.stdout);
  assert.match(ran.stdout, /evil\\n\\x1b\[31mred\\u202egnp\.png/);
  const listed = await genqueue(['jobs'], env);
  assert.equal(listed.stdout.split('\n').length, 2, 'one line for the job');
  for (const text of [ran.stdout, listed.stdout, (await genqueue(['status'], env)).stdout]) {
    assert.doesNotMatch(
      text,
      // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
    );
  }
  const [job] = jsonLines((await genqueue(['jobs', '--json'], env)).stdout);
  assert.equal(job?.source, nasty);
});
