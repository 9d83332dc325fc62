// Watched-folder benchmark (issue 6): 10,000 tiny images in a folder tree. Each measurement runs
// in a fresh child process (its own CPU time and peak RSS): a bare recursive readdir + stat of the
// tree (the baseline), GenQueue catching up on the tree at start, GenQueue taking the files as
// they appear, then idle CPU while watching them and the delay from a file's last write to its
// job — for @parcel/watcher and for chokidar, through the same engine code.
// Run: node tests/bench/watch.bench.ts   (BENCH_QUICK=1 for a smaller, faster smoke run)
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_SETTINGS } from '../../main/contract/schemas.ts';
import { createEngine } from '../../main/engine/engine.ts';
import { memorySecrets, memorySettings } from '../../main/engine/host/ports.ts';
import type { TreeWatchBackend } from '../../main/engine/watch/tree-watch.ts';
import { watchWithParcel } from './parcel-tree-watch.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const FILES = QUICK ? 1000 : 10_000;
const IDLE_MS = QUICK ? 5000 : 60_000;
const LATENCY_SAMPLES = QUICK ? 5 : 15;
type Backend = 'chokidar' | 'parcel';
const BACKENDS: Backend[] = ['chokidar', 'parcel'];
/** The engine's own backend (chokidar), and @parcel/watcher through the bench's adapter. */
const BACKEND_OF: Record<Backend, TreeWatchBackend | undefined> = {
  chokidar: undefined,
  parcel: watchWithParcel,
};
/** A run that queues nothing more for this long is over (a backend that misses files). */
const STALL_MS = 10_000;

interface Figures {
  /** Jobs queued (the catch-up and arrival runs). */
  queued?: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  idleCpuMs?: number;
  latencyMs?: number[];
}

type Mode = 'scan' | 'catch-up' | 'arrive';

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real 16×16 PNG with `i` appended after its end: distinct bytes, still an image. */
async function fileMaker(): Promise<(i: number) => Buffer> {
  const png = await sharp({
    create: { width: 16, height: 16, channels: 3, background: { r: 10, g: 200, b: 90 } },
  })
    .png()
    .toBuffer();
  return (i) => Buffer.concat([png, Buffer.from(`#${i}`)]);
}

/** 10 × 10 folders of 100 files (for 10,000). */
function treePath(root: string, i: number): string {
  const perDir = 100;
  const dir = Math.floor(i / perDir);
  return path.join(root, `d${Math.floor(dir / 10)}`, `s${dir % 10}`, `img-${i}.png`);
}

async function writeTree(root: string, from: number, to: number): Promise<void> {
  const make = await fileMaker();
  const pending: Promise<void>[] = [];
  for (let i = from; i < to; i++) {
    const file = treePath(root, i);
    if (i % 100 === 0) await mkdir(path.dirname(file), { recursive: true });
    pending.push(writeFile(file, make(i)));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

// ---------------------------------------------------------------- child side

async function bareScan(root: string): Promise<number> {
  let count = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        await stat(full);
        count++;
      }
    }
  };
  await walk(root);
  return count;
}

async function child(mode: Mode, backend: Backend, root: string, home: string) {
  const send = (message: object) => process.send!(message);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'scan') {
    const count = await bareScan(root);
    if (count !== FILES) throw new Error(`scan found ${count} files`);
    send({
      wallMs: performance.now() - t0,
      cpuMs: cpuMs(process.cpuUsage(cpu0)),
      peakRssMb: peakRssMb(),
    });
    return;
  }
  // No key: the queue stays paused (auth), so jobs are only queued and nothing else runs.
  const engine = await createEngine({
    home,
    version: 'bench',
    command: 'bench',
    settings: memorySettings(DEFAULT_SETTINGS),
    secrets: memorySecrets(undefined),
    watch: { backend: BACKEND_OF[backend] },
  });
  let start = performance.now();
  let cpuStart = process.cpuUsage();
  // Figures as of the last job queued, so a backend that misses files is timed on what it took.
  let queued = 0;
  let last: Figures = { wallMs: 0, cpuMs: 0, peakRssMb: 0 };
  let lastChange = performance.now();
  const waiting = new Map<string, (at: number) => void>();
  engine.subscribe((event) => {
    if (event.name === 'job.updated' && event.payload.stage === 'queued') {
      waiting.get(event.payload.source)?.(performance.now());
    }
    if (event.name === 'queue.stats' && (event.payload.counts.queued ?? 0) !== queued) {
      queued = event.payload.counts.queued ?? 0;
      lastChange = performance.now();
      last = {
        wallMs: lastChange - start,
        cpuMs: cpuMs(process.cpuUsage(cpuStart)),
        peakRssMb: peakRssMb(),
      };
    }
  });
  await engine.start();
  const { id } = await engine.handlers['watch.add']({
    path: root,
    recursive: true,
    include: [],
    exclude: [],
    existing: 'process',
    afterSuccess: 'keep',
    afterFailure: 'keep',
  });
  if (mode === 'arrive') {
    const watching = async () =>
      (await engine.handlers['watch.list']({})).find((view) => view.id === id)?.status ===
      'watching';
    while (!(await watching())) await sleep(20);
    start = performance.now();
    cpuStart = process.cpuUsage();
    send({ ready: true });
  }
  // Done when every file is queued, or when nothing more has been queued for STALL_MS.
  while (queued < FILES && (queued === 0 || performance.now() - lastChange < STALL_MS)) {
    await sleep(100);
  }
  const figures: Figures = { ...last, queued };
  if (mode === 'arrive') {
    await sleep(2000); // let the last batches and throttled events settle
    const idle0 = process.cpuUsage();
    await sleep(IDLE_MS);
    figures.idleCpuMs = cpuMs(process.cpuUsage(idle0));
    const make = await fileMaker();
    figures.latencyMs = [];
    for (let k = 0; k < LATENCY_SAMPLES; k++) {
      const file = path.join(root, `late-${k}.png`);
      const seen = new Promise<number>((resolve) => waiting.set(file, resolve));
      await writeFile(file, make(FILES + k));
      const written = performance.now();
      figures.latencyMs.push((await seen) - written);
      await sleep(200);
    }
  }
  await engine.stop();
  send(figures);
}

// ---------------------------------------------------------------- parent side

function runChild(
  mode: Mode,
  backend: Backend,
  root: string,
  home: string,
  onReady?: () => Promise<void>,
): Promise<Figures & { writeMs?: number }> {
  process.stderr.write(`measuring ${mode} (${backend})…\n`);
  return new Promise((resolve, reject) => {
    const proc = fork(import.meta.filename, ['child', mode, backend, root, home], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let writeMs: number | undefined;
    proc.on('message', (message: Figures & { ready?: boolean }) => {
      if (message.ready) {
        const t0 = performance.now();
        void onReady!().then(() => (writeMs = performance.now() - t0));
      } else resolve({ ...message, ...(writeMs !== undefined && { writeMs }) });
    });
    proc.on('exit', (code) => code !== 0 && reject(new Error(`${mode} child exited with ${code}`)));
  });
}

async function parent(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'genqueue-watch-bench-'));
  try {
    const full = path.join(work, 'full');
    await writeTree(full, 0, FILES);
    const rows: [string, Figures & { writeMs?: number }][] = [];
    const base = await runChild('scan', 'chokidar', full, '');
    rows.push([`bare readdir + stat, ${FILES} files`, base]);
    const arrivals: [Backend, Figures & { writeMs?: number }][] = [];
    for (const backend of BACKENDS) {
      const home = await mkdtemp(path.join(work, 'home-'));
      rows.push([
        `${backend}: catch-up of ${FILES} existing`,
        await runChild('catch-up', backend, full, home),
      ]);
    }
    for (const backend of BACKENDS) {
      const home = await mkdtemp(path.join(work, 'home-'));
      const tree = await mkdtemp(path.join(work, 'tree-'));
      const figures = await runChild('arrive', backend, tree, home, () =>
        writeTree(tree, 0, FILES),
      );
      rows.push([`${backend}: ${FILES} appearing`, figures]);
      arrivals.push([backend, figures]);
    }

    const ratio = (value: number, against: number) => `${(value / against).toFixed(1)}×`;
    console.log(
      `\nWatched folders — ${FILES} tiny images in 100-file folders, stability window 1000 ms${QUICK ? ' (BENCH_QUICK)' : ''}`,
    );
    console.log(
      '| measurement | files queued | until the last queued s | CPU s | peak RSS MB | vs readdir+stat (time / CPU / RSS) |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const [name, f] of rows) {
      const vs =
        f === base
          ? 'baseline'
          : `${ratio(f.wallMs, base.wallMs)} / ${ratio(f.cpuMs, base.cpuMs)} / ${ratio(f.peakRssMb, base.peakRssMb)}`;
      const wall =
        f.writeMs !== undefined
          ? `${(f.wallMs / 1000).toFixed(2)} (writing took ${(f.writeMs / 1000).toFixed(2)})`
          : (f.wallMs / 1000).toFixed(2);
      console.log(
        `| ${name} | ${f.queued ?? '—'} | ${wall} | ${(f.cpuMs / 1000).toFixed(2)} | ${f.peakRssMb.toFixed(0)} | ${vs} |`,
      );
    }
    console.log(
      `\n| backend | idle CPU over ${IDLE_MS / 1000} s, ${FILES} files watched | last write → queued: median / max ms (goal: window + <300) |`,
    );
    console.log('| --- | ---: | --- |');
    for (const [backend, f] of arrivals) {
      const sorted = [...(f.latencyMs ?? [])].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
      const max = sorted.at(-1) ?? NaN;
      console.log(
        `| ${backend} | ${(f.idleCpuMs ?? NaN).toFixed(0)} ms (${(((f.idleCpuMs ?? 0) / IDLE_MS) * 100).toFixed(3)} % of a core) | ${median.toFixed(0)} / ${max.toFixed(0)} |`,
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const [role, mode, backend, root, home] = process.argv.slice(2);
if (role === 'child') await child(mode as Mode, backend as Backend, root!, home!);
else await parent();
