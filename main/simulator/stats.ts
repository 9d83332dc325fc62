// What the simulator saw, for tests to assert on: every request and its status, every upload,
// every task, how often a client paid twice for the same body, and how often it called while a
// Retry-After window it had been given was still open.

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
  }[];
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

  snapshot(): SimulatorStats {
    return structuredClone(this.#stats);
  }
}
