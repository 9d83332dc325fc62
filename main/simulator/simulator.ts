// A local stand-in for APIMart: a real HTTP server on 127.0.0.1 that speaks every documented
// shape, with switchable faults (outage, bad key, no balance, 429, 5xx, resets, stalls). Users run
// it for "try without a key"; every test in the project uses it as its APIMart.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fail } from '../contract/errors.ts';
import { FaultState, type Faults } from './faults.ts';
import { Gate } from './gate.ts';
import { IdempotencyKeys } from './idempotency.ts';
import type { PricingOptions } from './pricing.ts';
import { Routes, type CreateTaskShape, type ResultUrlShape } from './routes.ts';
import { StatsRecorder, type SimulatorStats } from './stats.ts';
import { SimStore } from './store.ts';
import { MAX_UPLOAD_BYTES } from './uploads.ts';

export type { Faults } from './faults.ts';
export type { KeysMode } from './faults.ts';
export type { CreateOutcome, SimulatorStats } from './stats.ts';
export { RESPONSE_VERSION } from './idempotency.ts';

export interface SimulatorOptions {
  /**
   * The port on 127.0.0.1 (0, the default: any free one). 'previous': the one the last simulator
   * on `dataDir` used, or any free one when it is taken or there was none.
   */
  port?: number | 'previous';
  apiKey?: string;
  taskDurationMs?: number;
  resultTtlMs?: number;
  /** Long edge of result images, default 1024; tests and benchmarks use small ones. */
  resultSize?: number;
  /** Largest upload accepted, default APIMart's 20,971,520 bytes (tests of the 413 path lower it). */
  uploadLimit?: number;
  shapes?: { createTask?: CreateTaskShape; resultUrl?: ResultUrlShape };
  balance?: { remaining: number; used: number; unlimited?: boolean };
  /** What tasks cost and whether they report it (default: APIMart-like prices, reported). */
  pricing?: PricingOptions;
  /**
   * Where uploads, results, tasks and idempotency keys are kept: given, it is kept after close()
   * and a simulator started on it again carries on where the last one stopped (even one that was
   * killed). Without it, a temporary folder, removed on close().
   */
  dataDir?: string;
}

export interface Simulator {
  readonly url: string;
  readonly apiKey: string;
  setFaults(patch: Partial<Faults>): void;
  resetFaults(): void;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

/** Where the port of the last simulator on a data directory is written. */
const PORT_FILE = 'port';

function previousPort(dataDir: string): number {
  try {
    const port = Number(readFileSync(path.join(dataDir, PORT_FILE), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port <= 65535 ? port : 0;
  } catch {
    return 0;
  }
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Listens on `port`; 'previous' tries the data directory's last port, then any free one. */
async function listenOn(
  server: ReturnType<typeof createServer>,
  port: number | 'previous',
  dataDir: string,
): Promise<number> {
  if (port !== 'previous') return listen(server, port);
  const previous = previousPort(dataDir);
  return previous === 0
    ? listen(server, 0)
    : listen(server, previous).catch(() => listen(server, 0));
}

/** The server with its sockets tracked, refusing connections while offline or closing. */
function serverFor(faults: FaultState, closing: AbortSignal) {
  const server = createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (faults.current.offline || closing.aborted) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { server, sockets };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? 'sim-key';
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'genqueue-simulator-')));
  await mkdir(path.join(dataDir, 'uploads'), { recursive: true });
  await mkdir(path.join(dataDir, 'results'), { recursive: true });

  const faults = new FaultState();
  const stats = new StatsRecorder();
  const store = new SimStore(dataDir);
  for (const body of store.earlierBodies()) stats.earlierTask(body);
  const keys = new IdempotencyKeys(store, faults);
  const closing = new AbortController();
  const { server, sockets } = serverFor(faults, closing.signal);
  const inFlight = new Set<Promise<void>>();

  const port = await listenOn(server, options.port ?? 0, dataDir).catch(async (thrown: unknown) => {
    store.close();
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    const why = thrown instanceof Error ? thrown.message : String(thrown);
    return fail('internal', `The APIMart simulator could not listen on 127.0.0.1: ${why}`);
  });
  if (!ownsDataDir) writeFileSync(path.join(dataDir, PORT_FILE), `${port}\n`);
  const baseUrl = `http://127.0.0.1:${port}`;
  const routes = new Routes(
    {
      baseUrl,
      dataDir,
      taskDurationMs: options.taskDurationMs ?? 1500,
      resultTtlMs: options.resultTtlMs ?? 60 * 60 * 1000,
      resultSize: options.resultSize ?? 1024,
      uploadLimit: options.uploadLimit ?? MAX_UPLOAD_BYTES,
      createTaskShape: options.shapes?.createTask ?? 'array',
      resultUrlShape: options.shapes?.resultUrl ?? 'string',
      balance: {
        remaining: options.balance?.remaining ?? 100,
        used: options.balance?.used ?? 0,
        unlimited: options.balance?.unlimited ?? false,
      },
      ...(options.pricing && { pricing: options.pricing }),
    },
    { stats, faults, store, keys },
  );
  const gate = new Gate({ apiKey, faults, stats, keys, routes, closing: closing.signal });
  // Attached only now that the URL is known; no request can be read before this line runs.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const work = gate.serve(req, res).catch(() => {
      // Only a close() mid-request or a vanished client lands here: the socket is gone anyway.
      req.socket.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  let closed: Promise<void> | null = null;
  return {
    url: baseUrl,
    apiKey,
    setFaults(patch) {
      faults.patch(patch);
      if (patch.offline) for (const socket of sockets) socket.destroy();
    },
    resetFaults() {
      faults.reset();
    },
    stats: () => stats.snapshot(),
    close() {
      closed ??= (async () => {
        closing.abort();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await stopped;
        await Promise.allSettled(inFlight);
        await routes.idle();
        store.close();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/**
 * What the hosts offer people ("try without a key", --simulate): 3 s tasks, like quick real ones,
 * kept in `dataDir` (with the port, reused when free) so a run stopped and started again resumes.
 */
export function startForTrying({ dataDir }: { dataDir: string }): Promise<Simulator> {
  return startSimulator({ taskDurationMs: 3000, dataDir, port: 'previous' });
}
