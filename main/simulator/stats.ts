// What the simulator saw, for tests to assert on: every request and its status, every upload,
// every task, every create with its idempotency key and what became of it, how often a client paid
// twice for the same body, and how often it called while a Retry-After window it had been given
// was still open.

/**
 * What became of a create that reached its route: a task made ('created'; 'lost' when its answer
 * was then dropped, 'stalled' when it was never sent), an earlier answer replayed, a 409
 * ('conflict'), a 503 idempotency_unavailable ('unavailable'), or refused as invalid (400).
 */
export type CreateOutcome =
  'created' | 'lost' | 'stalled' | 'replayed' | 'conflict' | 'unavailable' | 'invalid';

export interface SimulatorStats {
  /** Every request as it arrived, before any fault or latency met it. */
  arrivals: { method: string; path: string; at: number }[];
  /** Every request as it was answered. */
  requests: { method: string; path: string; status: number; at: number }[];
  uploads: { bytes: number; contentType: string; sha256: string; filename: string }[];
  tasks: {
    id: string;
    model: string;
    prompt: string;
    imageUrls: string[];
    n: number;
    at: number;
    /** The key it was created under (null: none sent, or keys ignored). */
    idempotencyKey: string | null;
  }[];
  /**
   * Every create that reached its route, keyed or not (not those a fault or auth stopped before
   * its body was read): the key as sent, the SHA-256 of the body bytes, the outcome, the error
   * code of a refusal ('idempotency_key_reused', …) and the task made or replayed.
   */
  creates: {
    key: string | null;
    bodySha256: string;
    at: number;
    outcome: CreateOutcome;
    error: string | null;
    taskId: string | null;
  }[];
  /** Creates answered with an earlier answer (Idempotency-Replayed: true). */
  replays: number;
  /** Creates whose task was made but whose answer was dropped by `lostAnswerRate`. */
  lostAnswers: number;
  /** New tasks made from a body identical to an earlier task's (a replay makes no task). */
  duplicateSubmissions: number;
  rateLimitViolations: number;
}

/** Same object, same string, whatever the key order: how "an identical body" is recognised. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How long after a 429 a request may still arrive that was sent before the client saw it. */
const IN_FLIGHT_MS = 25;

export class StatsRecorder {
  readonly #stats: SimulatorStats = {
    arrivals: [],
    requests: [],
    uploads: [],
    tasks: [],
    creates: [],
    replays: 0,
    lostAnswers: 0,
    duplicateSubmissions: 0,
    rateLimitViolations: 0,
  };
  readonly #submittedBodies = new Set<string>();
  #retryAfterFrom = 0;
  #retryAfterUntil = 0;

  /** Called when a request arrives; counts it as a violation inside an open Retry-After window. */
  arrival(entry: SimulatorStats['arrivals'][number]): void {
    this.#stats.arrivals.push(entry);
    const { at } = entry;
    if (at >= this.#retryAfterFrom && at < this.#retryAfterUntil) this.#stats.rateLimitViolations++;
  }

  /**
   * A 429 went out at `at`. Requests the client had already sent (arriving within IN_FLIGHT_MS on
   * loopback) could not have known; from then until Retry-After ends, any arrival is a violation.
   */
  rateLimited(at: number, retryAfterSeconds: number): void {
    const until = at + retryAfterSeconds * 1000;
    if (until <= this.#retryAfterUntil) return;
    if (at >= this.#retryAfterUntil) this.#retryAfterFrom = at + IN_FLIGHT_MS;
    this.#retryAfterUntil = until;
  }

  request(entry: SimulatorStats['requests'][number]): void {
    this.#stats.requests.push(entry);
  }

  upload(entry: SimulatorStats['uploads'][number]): void {
    this.#stats.uploads.push(entry);
  }

  /** A created task, with the request body that created it. */
  task(entry: SimulatorStats['tasks'][number], body: unknown): void {
    const key = canonicalJson(body);
    if (this.#submittedBodies.has(key)) this.#stats.duplicateSubmissions++;
    else this.#submittedBodies.add(key);
    this.#stats.tasks.push(entry);
  }

  /** The body of a task an earlier run on the same data directory made: a repeat is a duplicate. */
  earlierTask(body: unknown): void {
    this.#submittedBodies.add(canonicalJson(body));
  }

  create(entry: SimulatorStats['creates'][number]): void {
    this.#stats.creates.push(entry);
    if (entry.outcome === 'replayed') this.#stats.replays++;
    if (entry.outcome === 'lost') this.#stats.lostAnswers++;
  }

  snapshot(): SimulatorStats {
    return structuredClone(this.#stats);
  }
}
