// The APIMart routes the simulator answers, once the server has let a request through its faults:
// uploads, task creation (generations.ts), task polling with both result-URL forms, balance, and
// the downloads of uploaded files and (lazily rendered) results. What they issue is kept in the
// store, so an upload URL or task id from an earlier run on the same data directory still works.
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { modelSchemaReply, modelsReply } from './catalogue.ts';
import type { Faults, FaultState } from './faults.ts';
import { Generations, type CreateTaskShape } from './generations.ts';
import type { IdempotencyKeys } from './idempotency.ts';
import { writePixelBomb } from './pixel-bomb.ts';
import { Pricing, type PricingOptions } from './pricing.ts';
import { ApiError, errorReply, type Reply } from './replies.ts';
import { ResultImages } from './result-images.ts';
import type { StatsRecorder } from './stats.ts';
import type { SimStore } from './store.ts';
import { aspectRatioOf, taskProgress, type Task } from './tasks.ts';
import { receiveUpload } from './uploads.ts';

export type { CreateTaskShape } from './generations.ts';
export type ResultUrlShape = 'string' | 'array' | 'alternate';

export interface RouteConfig {
  baseUrl: string;
  dataDir: string;
  taskDurationMs: number;
  resultTtlMs: number;
  /** Long edge of a result image in pixels. */
  resultSize: number;
  /** Largest upload accepted, in bytes (APIMart: 20,971,520). */
  uploadLimit: number;
  createTaskShape: CreateTaskShape;
  resultUrlShape: ResultUrlShape;
  balance: { remaining: number; used: number; unlimited: boolean };
  /** What tasks cost and whether they say so (pricing.ts). */
  pricing?: PricingOptions;
}

/** What the routes share with the rest of the simulator. */
export interface RouteDeps {
  stats: StatsRecorder;
  faults: FaultState;
  store: SimStore;
  keys: IdempotencyKeys;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const UPLOAD_PREFIX = '/files/uploads/';
const GENERATIONS = '/v1/images/generations';
const RESULT_PATH = /^\/files\/results\/(task_[A-Za-z0-9]+)-(\d+)(?:\.png|\.jpg)?$/;
/** How many images a task lists under the 'flood' fault, whatever its n. */
const FLOOD = 3000;

function notFound(message: string): ApiError {
  return new ApiError(404, 'invalid_request_error', message);
}

export class Routes {
  readonly #config: RouteConfig;
  readonly #stats: StatsRecorder;
  readonly #faults: () => Readonly<Faults>;
  readonly #store: SimStore;
  readonly #generations: Generations;
  readonly #results: ResultImages;
  readonly #pricing: Pricing;
  readonly #uploadDir: string;
  #pixelBomb: Promise<string> | undefined;
  #completedPolls = 0;

  constructor(config: RouteConfig, deps: RouteDeps) {
    this.#config = config;
    this.#pricing = new Pricing(config.pricing);
    this.#stats = deps.stats;
    this.#faults = () => deps.faults.current;
    this.#store = deps.store;
    this.#uploadDir = path.join(config.dataDir, 'uploads');
    this.#results = new ResultImages(path.join(config.dataDir, 'results'), config.resultSize);
    this.#generations = new Generations({
      ...deps,
      taskDurationMs: config.taskDurationMs,
      createTaskShape: config.createTaskShape,
      resolveUpload: this.#resolveUpload,
      resultImages: (task) => this.#resultImages(task),
    });
  }

  static isPaid(method: string, pathname: string): boolean {
    return method === 'POST' && (pathname === '/v1/uploads/images' || pathname === GENERATIONS);
  }

  /** A task creation: the route whose key is tracked from the moment it arrives. */
  static isCreate(method: string, pathname: string): boolean {
    return method === 'POST' && pathname === GENERATIONS;
  }

  async handle(req: IncomingMessage, url: URL, now: number): Promise<Reply> {
    const { pathname } = url;
    const method = req.method ?? 'GET';
    if (Routes.isPaid(method, pathname) && this.#broke()) {
      return errorReply(402, 'insufficient_quota', 'insufficient balance: top up your account');
    }
    if (method === 'POST' && pathname === '/v1/uploads/images') return this.#upload(req, now);
    if (Routes.isCreate(method, pathname)) return this.#generations.create(req, now);
    if (method === 'GET' && pathname.startsWith('/v1/tasks/')) {
      return this.#poll(pathname.slice('/v1/tasks/'.length), now);
    }
    if (method === 'GET' && (pathname === '/v1/user/balance' || pathname === '/v1/balance')) {
      return this.#balance();
    }
    if (method === 'GET' && pathname === '/v1/models') return modelsReply(now);
    if (method === 'GET' && pathname === '/v1/model-schema') return modelSchemaReply(url);
    if (method === 'GET' && pathname.startsWith(UPLOAD_PREFIX)) {
      const stored = this.#store.upload(pathname.slice(UPLOAD_PREFIX.length));
      if (!stored) throw notFound('file not found');
      return { status: 200, file: stored.file, contentType: stored.contentType };
    }
    const result = method === 'GET' ? RESULT_PATH.exec(pathname) : null;
    if (result) return this.#download(result[1] ?? '', Number(result[2]), now);
    return errorReply(404, 'invalid_request_error', `no route for ${method} ${pathname}`);
  }

  /** Settles when no result rendering is running any more. */
  idle(): Promise<void> {
    return this.#results.idle();
  }

  async #upload(req: IncomingMessage, now: number): Promise<Reply> {
    const received = await receiveUpload(req, this.#uploadDir, this.#config.uploadLimit);
    this.#store.addUpload(received.storedName, received.contentType, now);
    this.#stats.upload({
      bytes: received.bytes,
      contentType: received.contentType,
      sha256: received.sha256,
      filename: received.filename,
    });
    return {
      status: 200,
      json: {
        url: `${this.#config.baseUrl}${UPLOAD_PREFIX}${received.storedName}`,
        filename: received.storedName,
        content_type: received.contentType,
        bytes: received.bytes,
        created_at: seconds(now),
      },
    };
  }

  /** An upload URL by its path alone, so URLs issued on another port (an earlier run) resolve. */
  #resolveUpload = (url: string): string | null => {
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
    } catch {
      return null;
    }
    if (!pathname.startsWith(UPLOAD_PREFIX)) return null;
    return this.#store.upload(pathname.slice(UPLOAD_PREFIX.length))?.file ?? null;
  };

  #poll(id: string, now: number): Reply {
    const task = this.#store.task(id);
    if (!task) throw notFound(`task ${id} not found`);
    const { status, progress } = this.#faults().holdTasks
      ? { status: 'processing' as const, progress: 50 }
      : taskProgress(task, now);
    const finishedAt = task.createdAt + task.durationMs;
    const data: Record<string, unknown> = {
      id,
      status,
      progress,
      created: seconds(task.createdAt),
      estimated_time: Math.max(1, Math.ceil(task.durationMs / 1000)),
    };
    if (status === 'completed' || status === 'failed') {
      data.completed = seconds(finishedAt);
      data.actual_time = Math.round(task.durationMs / 1000);
    }
    if (status === 'completed') data.result = { images: this.#resultImages(task) };
    if (status === 'failed') data.error = { message: task.failure };
    if ((status === 'completed' || status === 'failed') && this.#pricing.reportsCost) {
      const cost = status === 'completed' ? this.#pricing.charge(task) : 0;
      Object.assign(data, { cost, credits_cost: Math.round(cost * 10 * 1e6) / 1e6 });
    } else if (status === 'completed') {
      this.#pricing.charge(task);
    }
    const garble = this.#faults().taskGarble;
    if (garble === 'unknown-status') data.status = 'warming_up';
    if (garble === 'no-images' && status === 'completed') delete data.result;
    return { status: 200, json: { code: 200, data } };
  }

  /** A finished task's images, as its poll (or a synchronous create) lists them. */
  #resultImages(task: Task): { url: string | string[]; expires_at: number }[] {
    // 'alternate' flips between the answers that carry result URLs, string form first.
    const shape = this.#config.resultUrlShape;
    const asArray =
      shape === 'array' || (shape === 'alternate' && this.#completedPolls++ % 2 === 1);
    const expiresAt = seconds(task.createdAt + task.durationMs + this.#config.resultTtlMs);
    const trick = this.#faults().resultTrick;
    const ext = trick === 'no-extension' ? '' : trick === 'wrong-extension' ? '.jpg' : '.png';
    return Array.from({ length: this.#resultCount(task) }, (_, k) => {
      const url = `${this.#config.baseUrl}/files/results/${task.id}-${k}${ext}`;
      return { url: asArray ? [url] : url, expires_at: expiresAt };
    });
  }

  #resultCount(task: Task): number {
    return this.#faults().resultTrick === 'flood' ? FLOOD : task.n;
  }

  /** The account cannot pay: what was charged has used the balance up. */
  #broke(): boolean {
    const { unlimited } = this.#config.balance;
    return !unlimited && this.#pricing.balanceAfter(this.#config.balance).remaining <= 0;
  }

  #balance(): Reply {
    const { unlimited } = this.#config.balance;
    const { remaining, used } = this.#pricing.balanceAfter(this.#config.balance);
    const broke = this.#faults().balance;
    return {
      status: 200,
      json: {
        success: true,
        remain_balance: broke ? 0 : unlimited ? -1 : remaining,
        used_balance: used,
        unlimited_quota: unlimited && !broke,
      },
    };
  }

  async #download(taskId: string, index: number, now: number): Promise<Reply> {
    const task = this.#store.task(taskId);
    if (
      !task ||
      index >= this.#resultCount(task) ||
      taskProgress(task, now).status !== 'completed'
    ) {
      throw notFound('result not found');
    }
    if (now >= task.createdAt + task.durationMs + this.#config.resultTtlMs) {
      throw notFound('result has expired');
    }
    if (this.#faults().resultTrick === 'pixel-bomb') {
      const bomb = path.join(this.#config.dataDir, 'results', 'pixel-bomb.png');
      this.#pixelBomb ??= writePixelBomb(bomb).then(() => bomb);
      return { status: 200, file: await this.#pixelBomb, contentType: 'image/png' };
    }
    const file = await this.#results.file({
      key: `${taskId}-${index}`,
      input: task.inputs[0] ?? null,
      ratio: aspectRatioOf(task.size),
      index,
    });
    return { status: 200, file, contentType: 'image/png' };
  }
}
