// The simulator's front door, between the HTTP server and the routes: every request meets
// latency, offline, its rolled fault (reset, stall, 429, 5xx), auth and balance before its route.
// A create is tracked from its arrival for its idempotency key, may have its answer lost, and is
// recorded in the stats; the 2026 response version is echoed to whoever asked for it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults, FaultState, RolledFault } from './faults.ts';
import {
  RESPONSE_VERSION,
  speaksVersion,
  VERSION_HEADER,
  type CreateAttempt,
  type IdempotencyKeys,
} from './idempotency.ts';
import { errorReply, PROXY_502_PAGE, replyForThrown, withHeaders, writeReply } from './replies.ts';
import type { Reply } from './replies.ts';
import { Routes } from './routes.ts';
import type { StatsRecorder } from './stats.ts';

export interface GateOptions {
  apiKey: string;
  faults: FaultState;
  stats: StatsRecorder;
  keys: IdempotencyKeys;
  routes: Routes;
  /** Aborted by close(): ends the latency waits. */
  closing: AbortSignal;
}

/** One request on its way through the gate. */
interface Call {
  req: IncomingMessage;
  url: URL;
  method: string;
  at: number;
  /** Set for a create: its key and, in the end, its outcome. */
  attempt: CreateAttempt | null;
  /** Headers every answer to it carries (the echoed response version). */
  echo: Record<string, string>;
}

const retryAfterSeconds = (faults: Readonly<Faults>): number =>
  faults.rateLimit?.retryAfterSeconds ?? 1;

export class Gate {
  readonly #options: GateOptions;

  constructor(options: GateOptions) {
    this.#options = options;
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { faults, stats, keys } = this.#options;
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    stats.arrival({ method, path: url.pathname, at });
    const attempt = Routes.isCreate(method, url.pathname) ? keys.arrive(req) : null;
    const speaks = speaksVersion(req, faults.current.keys);
    const echo: Record<string, string> = speaks ? { [VERSION_HEADER]: RESPONSE_VERSION } : {};
    try {
      await this.#pass(res, { req, url, method, at, attempt, echo });
    } finally {
      if (attempt) keys.settle(attempt);
    }
  }

  async #pass(res: ServerResponse, call: Call): Promise<void> {
    const { faults, stats, closing } = this.#options;
    const { req, url, method, at } = call;
    const { latencyMs } = faults.current;
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: closing });
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
    const reply = await this.#answer(call, fault);
    const lost = call.attempt !== null && this.#closeCreate(call.attempt, fault, at);
    if (fault === 'stall' || lost) {
      stats.request({ method, path: url.pathname, status: 0, at });
      // A lost answer: the task is made, the socket dropped. A stall: accepted and processed,
      // never answered (close() destroys the socket).
      if (lost) req.socket.destroy();
      return;
    }
    if (fault === 'rate-limit') stats.rateLimited(Date.now(), retryAfterSeconds(current));
    stats.request({ method, path: url.pathname, status: reply.status, at });
    await writeReply(res, withHeaders(reply, call.echo));
  }

  async #answer({ req, url, method }: Call, fault: RolledFault): Promise<Reply> {
    const { faults, apiKey, routes } = this.#options;
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

  /**
   * A create has its answer: records what became of it (a new task's answer may be lost now) and
   * says whether the answer is lost. Creates stopped before their body was read are not recorded.
   */
  #closeCreate(attempt: CreateAttempt, fault: RolledFault, at: number): boolean {
    if (attempt.bodySha256 === null) return false;
    if (attempt.outcome === 'created') {
      if (fault === 'stall') attempt.outcome = 'stalled';
      else if (this.#options.faults.rollLostAnswer()) attempt.outcome = 'lost';
    }
    const { key, bodySha256, error, taskId } = attempt;
    const outcome = attempt.outcome ?? 'invalid';
    this.#options.stats.create({ key, bodySha256, at, outcome, error, taskId });
    return outcome === 'lost';
  }
}
