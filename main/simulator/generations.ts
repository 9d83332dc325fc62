// POST /v1/images/generations: reads the body's bytes (a key is bound to their SHA-256), lets the
// idempotency keys answer a repeat, else makes the task and answers in the shape the request
// asked for: today's `{ code, data }` forms, or under the 2026 response version a
// `generation.task` (with `syncResults`, a finished `generation.result` instead).
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { refuseOutsideSchema } from './catalogue.ts';
import type { FaultState } from './faults.ts';
import type { IdempotencyKeys } from './idempotency.ts';
import { parseJsonBody, readBody, type Reply } from './replies.ts';
import type { StatsRecorder } from './stats.ts';
import type { SimStore } from './store.ts';
import { newTaskId, parseTaskSpec, type Task } from './tasks.ts';

export type CreateTaskShape = 'array' | 'object' | 'alternate';

export interface GenerationsOptions {
  taskDurationMs: number;
  createTaskShape: CreateTaskShape;
  store: SimStore;
  stats: StatsRecorder;
  faults: FaultState;
  keys: IdempotencyKeys;
  /** The stored upload file a URL names, or null when this simulator never issued it. */
  resolveUpload: (url: string) => string | null;
  /** A finished task's result list, as a poll shows it. */
  resultImages: (task: Task) => unknown[];
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const requestId = (): string => `req_${randomBytes(12).toString('hex')}`;

export class Generations {
  readonly #options: GenerationsOptions;
  #creates = 0;

  constructor(options: GenerationsOptions) {
    this.#options = options;
  }

  async create(req: IncomingMessage, now: number): Promise<Reply> {
    const { store, stats, faults, keys } = this.#options;
    const attempt = keys.attemptOf(req);
    const bytes = await readBody(req);
    const early = keys.screen(attempt, createHash('sha256').update(bytes).digest('hex'));
    if (early) return early;
    const body = parseJsonBody(bytes);
    refuseOutsideSchema(body);
    const { spec, inputs } = parseTaskSpec(body, this.#options.resolveUpload);
    const sync = attempt.versioned && faults.current.syncResults;
    const task: Task = {
      ...spec,
      id: newTaskId(),
      createdAt: now,
      durationMs: sync ? 0 : this.#options.taskDurationMs, // a synchronous result is born finished
      failure: faults.current.taskFailure,
      inputs,
    };
    const json = sync
      ? this.#result(task)
      : attempt.versioned
        ? this.#ticket(task)
        : this.#legacy(task);
    const reply = { status: 200, json };
    store.addTask(task, body, keys.recordFor(attempt, task.id, reply));
    const { id, model, prompt, imageUrls, n } = task;
    stats.task({ id, model, prompt, imageUrls, n, at: now, idempotencyKey: attempt.key }, body);
    attempt.outcome = 'created';
    attempt.taskId = id;
    return reply;
  }

  /** The 2026 answer to a create: a task to poll. */
  #ticket(task: Task): unknown {
    const data = { object: 'generation.task', id: task.id, status: 'submitted' };
    return { request_id: requestId(), data };
  }

  /** The 2026 synchronous answer: the finished images (or the failure) at once. */
  #result(task: Task): unknown {
    const data: Record<string, unknown> = { object: 'generation.result', id: task.id };
    if (task.failure === null) {
      data.status = 'completed';
      data.result = { images: this.#options.resultImages(task) };
    } else {
      data.status = 'failed';
      data.error = { message: task.failure };
    }
    return { request_id: requestId(), data };
  }

  /** Today's answers: `data` as a one-task array, as an object, or alternately. */
  #legacy(task: Task): unknown {
    const shape = this.#options.createTaskShape;
    const asArray = shape === 'array' || (shape === 'alternate' && this.#creates++ % 2 === 0);
    const data = asArray
      ? [{ status: 'submitted', task_id: task.id }]
      : {
          id: task.id,
          status: 'submitted',
          progress: 0,
          created: seconds(task.createdAt),
          estimated_time: Math.max(1, Math.ceil(task.durationMs / 1000)),
        };
    return { code: 200, data };
  }
}
