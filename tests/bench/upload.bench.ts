// Upload benchmark (issue 4): a 19 MB file to a loopback sink in its own process, GenQueue's
// streamed multipart upload against `curl -F` and against undici fetch + FormData (and the same
// upload hashed as it streams, as a source passed through unchanged is checked), then the RSS
// growth of one and of eight concurrent uploads, each measured in a fresh child process.
// Run: node tests/bench/upload.bench.ts   (BENCH_QUICK=1 for a smaller, faster smoke run)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openAsBlob, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch, FormData } from 'undici';
import { createApimartClient } from '../../main/engine/apimart/client.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const MB = 1024 * 1024;
const SIZE = QUICK ? 4 * MB : 19 * MB;
const RUNS = QUICK ? 3 : 9;
const WARMUP = QUICK ? 2 : 5;
const CONCURRENT = 8;
const run = promisify(execFile);

const SINK = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => { bytes += chunk.length; });
  req.on('end', () => {
    const body = JSON.stringify({ url: 'http://127.0.0.1/files/uploads/x.jpg', filename: 'x.jpg',
      content_type: 'image/jpeg', bytes, created_at: Math.floor(Date.now() / 1000) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

type Uploader = 'genqueue' | 'checked' | 'formdata';

/** One upload (or several at once) by GenQueue's client or by fetch + FormData. */
function uploaderFor(
  kind: Uploader,
  sink: string,
  dispatcher: Agent,
): (file: string) => Promise<unknown> {
  if (kind !== 'formdata') {
    const client = createApimartClient({ baseUrl: sink, apiKey: () => 'bench-key', dispatcher });
    const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    return (file) =>
      client.upload(
        {
          path: file,
          filename: 'photo.jpg',
          contentType: 'image/jpeg',
          ...(kind === 'checked' && { sha256: sha256(file) }),
        },
        {},
      );
  }
  return async (file) => {
    const form = new FormData();
    form.append('file', await openAsBlob(file, { type: 'image/jpeg' }), 'photo.jpg');
    const response = await fetch(`${sink}/v1/uploads/images`, {
      method: 'POST',
      body: form,
      headers: { authorization: 'Bearer bench-key' },
      dispatcher,
    });
    return response.json();
  };
}

/** Child mode: peak RSS growth (MB) over `count` concurrent uploads, after a warm-up upload. */
async function measureRss(
  kind: Uploader,
  count: number,
  sink: string,
  file: string,
): Promise<number> {
  const dispatcher = new Agent({ connections: 16 });
  const upload = uploaderFor(kind, sink, dispatcher);
  await upload(file);
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage.rss();
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  await Promise.all(Array.from({ length: count }, () => upload(file)));
  clearInterval(sampler);
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  peak = Math.max(peak, process.memoryUsage.rss(), maxAfter > maxBefore ? maxAfter : 0);
  await dispatcher.close();
  return (peak - base) / MB;
}

/** Median seconds per contender, the contenders taking turns so load drifts hit them alike. */
async function interleaved(
  times: number,
  contenders: (() => Promise<number>)[],
): Promise<number[]> {
  const seconds = contenders.map(() => [] as number[]);
  for (let i = 0; i < times; i++) {
    for (const [index, once] of contenders.entries()) seconds[index]!.push(await once());
  }
  return seconds.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

async function startSink(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const script = path.join(dir, 'sink.mjs');
  await writeFile(script, SINK);
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', () => reject(new Error('the sink server exited before listening')));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function rssInChild(
  kind: Uploader,
  count: number,
  sink: string,
  file: string,
): Promise<number> {
  const { stdout } = await run(process.execPath, [
    '--expose-gc',
    import.meta.filename,
    '--rss',
    kind,
    String(count),
    sink,
    file,
  ]);
  return Number(stdout.trim());
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genqueue-bench-upload-'));
  const { url: sink, child } = await startSink(dir);
  try {
    const file = path.join(dir, 'photo.jpg');
    const bytes = Buffer.alloc(SIZE);
    for (let i = 0; i < SIZE; i += 4096) bytes.writeUInt32BE((i * 2654435761) >>> 0, i);
    bytes.set([0xff, 0xd8, 0xff, 0xe0]);
    await writeFile(file, bytes);

    const dispatcher = new Agent({ connections: 16 });
    const timed = (kind: Uploader) => {
      const upload = uploaderFor(kind, sink, dispatcher);
      return async () => {
        const start = performance.now();
        await upload(file);
        return (performance.now() - start) / 1000;
      };
    };
    const curl = async () => {
      const args = [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{time_total}',
        '-H',
        'Authorization: Bearer bench-key',
      ];
      const { stdout } = await run('curl', [
        ...args,
        '-F',
        `file=@${file};type=image/jpeg`,
        `${sink}/v1/uploads/images`,
      ]);
      return Number(stdout);
    };
    // Interleaved, each after a warm-up: a cold sink first meets whoever runs first.
    const contenders = [timed('genqueue'), curl, timed('formdata'), timed('checked')];
    await interleaved(WARMUP, contenders); // the sink's JIT, the connections, the page cache
    const [genqueue, curlSeconds, formdata, checked] = (await interleaved(RUNS, contenders)) as [
      number,
      number,
      number,
      number,
    ];
    await dispatcher.close();

    const rss = {
      one: await rssInChild('genqueue', 1, sink, file),
      eight: await rssInChild('genqueue', CONCURRENT, sink, file),
      oneFormData: await rssInChild('formdata', 1, sink, file),
      eightFormData: await rssInChild('formdata', CONCURRENT, sink, file),
    };

    const rate = (seconds: number) => SIZE / MB / seconds;
    const f = (value: number) => value.toFixed(value < 10 ? 2 : 0);
    /** A ratio of memory figures; none against a baseline under 1 MB (noise, not a base). */
    const times = (value: number, base: number) => (base < 1 ? '—' : `${f(value / base)}×`);
    const size = `${(SIZE / MB).toFixed(0)} MB`;
    const rows = [
      ['measure', 'GenQueue', 'baseline', 'ratio', 'goal'],
      [
        `${size} upload, MB/s (median of ${RUNS})`,
        f(rate(genqueue)),
        `curl -F: ${f(rate(curlSeconds))}`,
        `${f(curlSeconds / genqueue)}×`,
        '≥ 0.5× curl',
      ],
      [
        `${size} upload, MB/s (median of ${RUNS})`,
        f(rate(genqueue)),
        `fetch + FormData: ${f(rate(formdata))}`,
        `${f(formdata / genqueue)}×`,
        '',
      ],
      [
        `${size} passed through, hashed as it streams, MB/s`,
        f(rate(checked)),
        `curl -F: ${f(rate(curlSeconds))}`,
        `${f(curlSeconds / checked)}×`,
        '',
      ],
      [
        `RSS growth, 1 upload, MB`,
        f(rss.one),
        `fetch + FormData: ${f(rss.oneFormData)}`,
        times(rss.one, rss.oneFormData),
        '≤ 30 MB',
      ],
      [
        `RSS growth, ${CONCURRENT} concurrent, MB`,
        f(rss.eight),
        `fetch + FormData: ${f(rss.eightFormData)}`,
        times(rss.eight, rss.eightFormData),
        '≤ 60 MB',
      ],
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    console.log(
      `upload.bench${QUICK ? ' (BENCH_QUICK)' : ''}: loopback sink in its own process; RSS in fresh child processes`,
    );
    for (const row of rows)
      console.log(
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      );
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--rss') {
  const [kind, count, sink, file] = process.argv.slice(3) as [Uploader, string, string, string];
  console.log(await measureRss(kind, Number(count), sink, file));
} else {
  await main();
}
