// The data directory when its files are broken, stale, too open or on a disk that is full or
// read-only: garbage settings and databases are moved aside (kept) with a sentence, a failed start
// frees the lock, a reused PID does not hold the queue, the files are private, and a full or
// read-only disk gets one sentence (status still answers on a read-only one).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createEngine } from '../../main/engine/engine.ts';
import { memorySecrets, memorySettings } from '../../main/engine/host/ports.ts';
import { confSettings } from '../../main/hosts/cli/cli-ports.ts';
import { genqueue } from '../support/cli.ts';
import { startTestEngine } from '../support/engine-harness.ts';
import { CORPUS, onTestEnd, tempDir } from '../support/paths.ts';

const PHOTO = join(CORPUS, 'jpg/Canon_40D.jpg');
const modes = process.platform === 'win32' ? 'Windows has no file modes' : false;

function runOne(home: string, out: string): ReturnType<typeof genqueue> {
  return genqueue(['run', PHOTO, '--prompt', 'x', '--out', out, '--simulate'], {
    GENQUEUE_HOME: home,
  });
}

async function brokenCopies(home: string, name: string): Promise<string[]> {
  return (await readdir(home)).filter((file) => file.startsWith(`${name}.broken-`));
}

function engineIn(home: string): ReturnType<typeof createEngine> {
  return createEngine({
    home,
    version: '0.0.0-test',
    command: 'test',
    settings: memorySettings(),
    secrets: memorySecrets(),
  });
}

/** A 1 MB tmpfs at a temp folder, unmounted when the test ends; undefined where there is none. */
function tinyDisk(t: TestContext, dir: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return false;
  }
  onTestEnd(t, () => execFileSync('umount', [dir]));
  return true;
}

test('a garbage settings.json is moved aside, kept, and the run goes on with defaults', async (t) => {
  const home = await tempDir(t);
  await writeFile(join(home, 'settings.json'), '{ "outputDir": "/x", oops');
  const ran = await runOne(home, await tempDir(t));
  assert.equal(ran.code, 0, ran.stderr + ran.stdout);
  assert.match(
    ran.stdout + ran.stderr,
    /settings\.json in .* is not valid JSON, so GenQueue moved it to settings\.json\.broken-\S+, where it is kept for recovery, and started with the default settings\./,
  );
  const [kept] = await brokenCopies(home, 'settings.json');
  assert.equal(await readFile(join(home, kept!), 'utf8'), '{ "outputDir": "/x", oops');
});

test('a garbage genqueue.db: status moves it aside with a sentence, run starts afresh', async (t) => {
  const home = await tempDir(t);
  await writeFile(
    join(home, 'genqueue.db'),
    'not a database at all, but long enough to look like one',
  );
  const status = await genqueue(['status', '--json'], { GENQUEUE_HOME: home });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stderr, /genqueue\.db in .* could not be read as a database/);
  assert.equal((JSON.parse(status.stdout) as { total: number }).total, 0);
  assert.equal((await brokenCopies(home, 'genqueue.db')).length, 1);

  await writeFile(join(home, 'genqueue.db'), 'garbage again');
  const ran = await runOne(home, await tempDir(t));
  assert.equal(ran.code, 0, ran.stderr + ran.stdout);
  assert.match(
    ran.stdout,
    /moved it to genqueue\.db\.broken-\S+, where it is kept for recovery, and started an empty queue\./,
  );
  assert.equal((await brokenCopies(home, 'genqueue.db')).length, 2);
});

test('a start that fails releases the data directory', async (t) => {
  const home = await tempDir(t);
  await mkdir(join(home, 'genqueue.db')); // a folder where the database should be
  await assert.rejects(engineIn(home));
  assert.equal(existsSync(join(home, 'engine.lock')), false);
});

test(
  'a lock naming a live process that did not write it (a reused PID) is taken over',
  {
    skip: process.platform === 'linux' ? false : 'process start times are read from /proc',
  },
  async (t) => {
    const home = await tempDir(t);
    const other = spawn('sleep', ['60']);
    t.after(() => other.kill());
    await once(other, 'spawn');
    const stat = await readFile(`/proc/${other.pid}/stat`, 'utf8');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const lock = (processStart: string) =>
      writeFile(
        join(home, 'engine.lock'),
        JSON.stringify({
          pid: other.pid,
          host: hostname(),
          startedAt: 1,
          command: 'genqueue run',
          processStart,
        }),
      );
    await lock(started!);
    await assert.rejects(engineIn(home), /Another GenQueue \(genqueue run, process \d+\)/);
    await lock(`${Number(started) - 100}`);
    const engine = await engineIn(home);
    await engine.stop();
  },
);

test(
  "the data directory is its owner's: folder 0700, database and settings 0600",
  { skip: modes },
  async (t) => {
    const home = join(await tempDir(t), 'data');
    await mkdir(home, { mode: 0o755 });
    await writeFile(join(home, 'settings.json'), '{}', { mode: 0o644 });
    await chmod(home, 0o755);
    const settings = confSettings(home);
    settings.write({ outputDir: '/tmp' });
    const te = await startTestEngine(t, { home });
    await te.call('jobs.enqueue', {
      paths: [PHOTO],
      recipe: { prompt: 'x', outDir: await tempDir(t) },
    });
    const mode = async (name: string) => ((await stat(join(home, name))).mode & 0o777).toString(8);
    assert.equal(await mode('.'), '700');
    for (const name of [
      'genqueue.db',
      'genqueue.db-wal',
      'genqueue.db-shm',
      'engine.lock',
      'settings.json',
    ])
      assert.equal(await mode(name), '600', name);
  },
);

test('a full data disk is one sentence, not an internal error', async (t) => {
  const disk = await tempDir(t);
  if (!tinyDisk(t, disk)) return void t.skip('no tmpfs to fill here (needs Linux and root)');
  await writeFile(join(disk, 'filler'), Buffer.alloc(1024 * 1024)).catch(() => undefined);
  const ran = await runOne(disk, await tempDir(t));
  assert.equal(ran.code, 1);
  assert.equal(
    ran.stderr,
    `genqueue: GenQueue cannot work in its data folder ${disk}: its disk is full.\n`,
  );
});

test('a read-only data disk: status still answers, run says so in a sentence', async (t) => {
  const disk = await tempDir(t);
  if (!tinyDisk(t, disk))
    return void t.skip('no tmpfs to make read-only here (needs Linux and root)');
  assert.equal((await runOne(disk, await tempDir(t))).code, 0);
  execFileSync('mount', ['-o', 'remount,ro', disk]);
  const status = await genqueue(['status', '--json'], { GENQUEUE_HOME: disk });
  assert.equal(status.code, 0, status.stderr);
  assert.equal((JSON.parse(status.stdout) as { total: number }).total, 1);
  const ran = await runOne(disk, await tempDir(t));
  assert.equal(ran.code, 1);
  assert.match(
    ran.stderr,
    /^genqueue: GenQueue cannot work in its data folder .*: its disk is read-only\.\n$/,
  );
});
