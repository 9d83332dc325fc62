// A local stand-in for APIMart: a real HTTP server on 127.0.0.1 that speaks every documented
// shape, with switchable faults (outage, bad key, no balance, 429, 5xx, resets, stalls). Users run
// it for "try without a key"; every test in the project uses it as its APIMart.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fail } from '../contract/errors.ts';
import { FaultState, type Faults, type RolledFault } from './faults.ts';
import { errorReply, PROXY_502_PAGE, replyForThrown, writeReply, type Reply } from './replies.ts';
import { Routes, type CreateTaskShape, type ResultUrlShape } from './routes.ts';
import { StatsRecorder, type SimulatorStats } from './stats.ts';
import { MAX_UPLOAD_BYTES } from './uploads.ts';

export type { Faults } from './faults.ts';
export type { SimulatorStats } from './stats.ts';

export interface SimulatorOptions {
  port?: number;
  apiKey?: string;
  taskDurationMs?: number;
  resultTtlMs?: number;
  /** Long edge of result images, default 1024; tests and benchmarks use small ones. */
  resultSize?: number;
  /** Largest upload accepted, default APIMart's 20,971,520 bytes (tests of the 413 path lower it). */
  uploadLimit?: number;
  shapes?: { createTask?: CreateTaskShape; resultUrl?: ResultUrlShape };
  balance?: { remaining: number; used: number; unlimited?: boolean };
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

const retryAfterSeconds = (faults: Readonly<Faults>): number =>
  faults.rateLimit?.retryAfterSeconds ?? 1;

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

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? 'sim-key';
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'genqueue-simulator-')));
  await mkdir(path.join(dataDir, 'uploads'), { recursive: true });
  await mkdir(path.join(dataDir, 'results'), { recursive: true });

  const faults = new FaultState();
  const stats = new StatsRecorder();
  const closing = new AbortController();
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();

  async function serve(req: IncomingMessage, res: ServerResponse, routes: Routes): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    stats.arrival({ method, path: url.pathname, at });
    const { latencyMs } = faults.current;
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: closing.signal });
    const current = faults.current;
    if (current.offline) {
      req.socket.destroy();
      return;
    }
    const fault = faults.roll();
    if (fault === 'reset') {
      stats.request({ method, path: url.pathname, status: 0, at });
      req.socket.destroy();
      return;
    }
    const reply = await answer(req, url, method, fault, routes);
    if (fault === 'stall') {
      stats.request({ method, path: url.pathname, status: 0, at });
      return; // accepted and processed, never answered: close() destroys the socket
    }
    if (fault === 'rate-limit') stats.rateLimited(Date.now(), retryAfterSeconds(current));
    stats.request({ method, path: url.pathname, status: reply.status, at });
    await writeReply(res, reply);
  }

  async function answer(
    req: IncomingMessage,
    url: URL,
    method: string,
    fault: RolledFault,
    routes: Routes,
  ): Promise<Reply> {
    const current = faults.current;
    if (fault === 'rate-limit') {
      const wait = String(retryAfterSeconds(current));
      const message = `rate limit exceeded, retry after ${wait} seconds`;
      return errorReply(429, 'rate_limit_error', message, { 'Retry-After': wait });
    }
    if (fault === 'server-error') return errorReply(500, 'server_error', 'internal server error');
    if (fault === 'proxy-error') return { status: 502, html: PROXY_502_PAGE };
    if (url.pathname.startsWith('/v1/')) {
      const authorization = req.headers.authorization;
      if (current.auth || authorization !== `Bearer ${apiKey}`) {
        const message = authorization
          ? 'invalid api key'
          : 'missing Authorization: Bearer <key> header';
        return errorReply(401, 'authentication_error', message);
      }
      if (current.balance && Routes.isPaid(method, url.pathname)) {
        const message = 'insufficient balance: top up your account to continue';
        return errorReply(402, 'insufficient_quota', message);
      }
    }
    try {
      return await routes.handle(req, url, Date.now());
    } catch (thrown) {
      return replyForThrown(thrown);
    }
  }

  const server = createServer();
  server.on('connection', (socket: Socket) => {
    if (faults.current.offline || closing.signal.aborted) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const port = await listen(server, options.port ?? 0).catch(async (thrown: unknown) => {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    const why = thrown instanceof Error ? thrown.message : String(thrown);
    return fail('internal', `The APIMart simulator could not listen on 127.0.0.1: ${why}`);
  });
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
    },
    stats,
    () => faults.current,
  );
  // Attached only now that the URL is known; no request can be read before this line runs.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const work = serve(req, res, routes).catch(() => {
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
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/** What the hosts offer people ("try without a key", --simulate): 3 s tasks, like quick real ones. */
export function startForTrying(): Promise<Simulator> {
  return startSimulator({ taskDurationMs: 3000 });
}
