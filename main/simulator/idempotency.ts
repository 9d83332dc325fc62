// APIMart's 2026 idempotency contract as the simulator keeps it (APIMART.md §7): which
// creates carry a key, which keys are still being processed, and what a repeat of a key is
// answered (the first answer replayed, or a 409), as the `keys` and `keyConflict` faults say.
// Keys live in the store with the task they made, so they outlast a restart.
import type { IncomingMessage } from 'node:http';
import type { FaultState, KeysMode } from './faults.ts';
import { ApiError, errorReply, type Reply } from './replies.ts';
import type { CreateOutcome } from './stats.ts';
import type { KeyRecord, SimStore } from './store.ts';

/** The response version the simulator speaks, and echoes to whoever asked for it. */
export const RESPONSE_VERSION = '2026-07-27';
export const VERSION_HEADER = 'X-APIMart-Response-Version';
export const REPLAYED_HEADER = 'Idempotency-Replayed';

/** A key as APIMart documents it: 1–191 visible ASCII characters. */
const VALID_KEY = /^[\x21-\x7e]{1,191}$/;

/** One create request, from its arrival (before latency or any fault) to its answer. */
export interface CreateAttempt {
  /** The Idempotency-Key as sent; null when none was. */
  readonly key: string | null;
  /** How keys were treated when it arrived. */
  readonly mode: KeysMode;
  /** It asked for the response version the simulator speaks (never when keys are ignored). */
  readonly versioned: boolean;
  /**
   * Its key at arrival: 'owner' (this request now holds it in progress), 'busy' (another request
   * held it), 'known' (answered before), or null (no valid key, or keys ignored).
   */
  readonly arrival: 'owner' | 'busy' | 'known' | null;
  bodySha256: string | null;
  outcome: CreateOutcome | null;
  /** The error code it was refused with. */
  error: string | null;
  /** The task it made or was replayed. */
  taskId: string | null;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

/** Whether this request asked for the response version the simulator speaks under `mode`. */
export function speaksVersion(req: IncomingMessage, mode: KeysMode): boolean {
  return mode !== 'ignore' && header(req, VERSION_HEADER.toLowerCase()) === RESPONSE_VERSION;
}

const MESSAGES = {
  idempotency_in_progress:
    'a request with this Idempotency-Key is still being processed; retry it later with the same key',
  idempotency_key_reused: 'this Idempotency-Key was already used with a different request body',
  idempotency_result_indeterminate:
    'the result of the earlier request with this Idempotency-Key cannot be determined',
  idempotency_unavailable:
    'idempotency is temporarily unavailable; the request was not executed and is safe to retry',
} as const;

export class IdempotencyKeys {
  readonly #store: SimStore;
  readonly #faults: FaultState;
  readonly #inProgress = new Set<string>();
  readonly #attempts = new WeakMap<IncomingMessage, CreateAttempt>();

  constructor(store: SimStore, faults: FaultState) {
    this.#store = store;
    this.#faults = faults;
  }

  /** A create has arrived: its key is claimed, or found in progress or already answered. */
  arrive(req: IncomingMessage): CreateAttempt {
    const mode = this.#faults.current.keys;
    const key = header(req, 'idempotency-key');
    let arrival: CreateAttempt['arrival'] = null;
    if (mode !== 'ignore' && key !== null && VALID_KEY.test(key)) {
      if (this.#inProgress.has(key)) arrival = 'busy';
      else if (this.#store.key(key)) arrival = 'known';
      else {
        this.#inProgress.add(key);
        arrival = 'owner';
      }
    }
    const versioned = speaksVersion(req, mode);
    const attempt: CreateAttempt = {
      key,
      mode,
      versioned,
      arrival,
      bodySha256: null,
      outcome: null,
      error: null,
      taskId: null,
    };
    this.#attempts.set(req, attempt);
    return attempt;
  }

  /** The attempt `arrive` opened for this request (opened now if none was). */
  attemptOf(req: IncomingMessage): CreateAttempt {
    return this.#attempts.get(req) ?? this.arrive(req);
  }

  /** The request is over: a key it held in progress is let go (recorded by now if it made a task). */
  settle(attempt: CreateAttempt): void {
    if (attempt.arrival === 'owner' && attempt.key !== null) this.#inProgress.delete(attempt.key);
  }

  /**
   * What a create is answered before anything is executed, once its body's hash is known: a bad
   * key, a `keyConflict` refusal, its key still in progress, or a repeat of a known key (replayed,
   * or refused); null when the task is to be made.
   */
  screen(attempt: CreateAttempt, bodySha256: string): Reply | null {
    attempt.bodySha256 = bodySha256;
    const { key, mode, arrival } = attempt;
    if (mode === 'ignore' || key === null) return null;
    if (!VALID_KEY.test(key)) {
      const message = 'Idempotency-Key must be 1 to 191 visible ASCII characters';
      throw new ApiError(400, 'invalid_request_error', message);
    }
    const forced = this.#faults.takeKeyConflict();
    if (forced === 'unavailable') return refuse(attempt, 503, 'idempotency_unavailable');
    if (forced === 'in-progress' || arrival === 'busy') {
      return refuse(attempt, 409, 'idempotency_in_progress');
    }
    const record = arrival === 'known' ? this.#store.key(key) : undefined;
    if (!record) return null;
    if (mode === 'indeterminate') return refuse(attempt, 409, 'idempotency_result_indeterminate');
    if (record.bodySha256 !== bodySha256) return refuse(attempt, 409, 'idempotency_key_reused');
    attempt.outcome = 'replayed';
    attempt.taskId = record.taskId;
    return { ...record.reply, headers: { [REPLAYED_HEADER]: 'true' } };
  }

  /** What the store keeps for a task this attempt made: its key and answer, if it holds a key. */
  recordFor(attempt: CreateAttempt, taskId: string, reply: KeyRecord['reply']): KeyRecord | null {
    if (attempt.arrival !== 'owner' || attempt.key === null || attempt.bodySha256 === null) {
      return null;
    }
    return { key: attempt.key, bodySha256: attempt.bodySha256, taskId, reply };
  }
}

function refuse(attempt: CreateAttempt, status: 409 | 503, code: keyof typeof MESSAGES): Reply {
  attempt.outcome = status === 503 ? 'unavailable' : 'conflict';
  attempt.error = code;
  return errorReply(status, 'idempotency_error', MESSAGES[code], undefined, code);
}
