// The switchable failures of the APIMart simulator, and the seeded dice that decide which request
// meets which failure. One roll per request, partitioned by the configured fractions, so a run with
// the same seed and the same request order meets exactly the same faults. Lost create answers have
// dice of their own (same seed), so turning them on does not shift the faults other requests meet.

export interface Faults {
  offline: boolean;
  auth: boolean;
  balance: boolean;
  rateLimit: { retryAfterSeconds: number; rate: number } | null;
  serverErrorRate: number;
  resetRate: number;
  stallRate: number;
  taskFailure: string | null;
  /** Task polls answer in a shape APIMart never documented: a status nobody knows, or "completed" with no image. */
  taskGarble: 'unknown-status' | 'no-images' | null;
  /** Tasks stay "processing" however long they have run, until this is cleared. */
  holdTasks: boolean;
  /**
   * Result links that misbehave: no extension, an extension that lies (".jpg" on a PNG), 3,000
   * images listed whatever `n` asked for, or a PNG that decodes to 16,383² pixels.
   */
  resultTrick: 'no-extension' | 'wrong-extension' | 'flood' | 'pixel-bomb' | null;
  latencyMs: number;
  seed: number;
  /**
   * How `Idempotency-Key` is treated on task creation: 'honour' (APIMart's 2026 contract: replay,
   * 409s, the response version echoed), 'ignore' (an older server: every create makes a task), or
   * 'indeterminate' (like 'honour' on first use; any repeat of a known key is a 409
   * idempotency_result_indeterminate).
   */
  keys: KeysMode;
  /** The next `count` keyed creates are refused (409 in progress / 503 unavailable), unexecuted. */
  keyConflict: { kind: 'in-progress' | 'unavailable'; count: number } | null;
  /** Fraction of creates whose task is made (and key recorded) but whose answer is lost: the socket is destroyed. */
  lostAnswerRate: number;
  /** A create that sent the 2026 response version is answered at once with its finished images. */
  syncResults: boolean;
}

export type KeysMode = 'honour' | 'ignore' | 'indeterminate';

export type RolledFault = 'reset' | 'stall' | 'rate-limit' | 'server-error' | 'proxy-error' | null;

export function defaultFaults(): Faults {
  return {
    offline: false,
    auth: false,
    balance: false,
    rateLimit: null,
    serverErrorRate: 0,
    resetRate: 0,
    stallRate: 0,
    taskFailure: null,
    taskGarble: null,
    holdTasks: false,
    resultTrick: null,
    latencyMs: 0,
    seed: 1,
    keys: 'honour',
    keyConflict: null,
    lostAnswerRate: 0,
    syncResults: false,
  };
}

/** mulberry32: small, fast, good enough to spread faults evenly; deterministic per seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixed into the seed of the lost-answer dice, so they do not repeat the main dice's sequence. */
const LOST_SALT = 0x5bd1e995;

export class FaultState {
  #faults: Faults = defaultFaults();
  #random: () => number = mulberry32(this.#faults.seed);
  #lostDice: () => number = mulberry32(this.#faults.seed ^ LOST_SALT);
  #serverErrors = 0;

  get current(): Readonly<Faults> {
    return this.#faults;
  }

  patch(patch: Partial<Faults>): void {
    this.#faults = { ...this.#faults, ...patch };
    if (patch.seed !== undefined) this.#reseed();
  }

  reset(): void {
    this.#faults = defaultFaults();
    this.#reseed();
  }

  /** Which fault, if any, this request meets. Server errors alternate between JSON 500 and HTML 502. */
  roll(): RolledFault {
    const { resetRate, stallRate, rateLimit, serverErrorRate } = this.#faults;
    if (resetRate + stallRate + (rateLimit?.rate ?? 0) + serverErrorRate <= 0) return null;
    const dice = this.#random();
    let edge = resetRate;
    if (dice < edge) return 'reset';
    edge += stallRate;
    if (dice < edge) return 'stall';
    edge += rateLimit?.rate ?? 0;
    if (dice < edge) return 'rate-limit';
    edge += serverErrorRate;
    if (dice < edge) return this.#serverErrors++ % 2 === 0 ? 'server-error' : 'proxy-error';
    return null;
  }

  /** Whether the answer to a create that made a task is lost (rolled only for those creates). */
  rollLostAnswer(): boolean {
    const rate = this.#faults.lostAnswerRate;
    return rate > 0 && this.#lostDice() < rate;
  }

  /** The refusal the next keyed create meets under `keyConflict`, counting it off. */
  takeKeyConflict(): 'in-progress' | 'unavailable' | null {
    const conflict = this.#faults.keyConflict;
    if (!conflict || conflict.count <= 0) return null;
    const count = conflict.count - 1;
    this.#faults = { ...this.#faults, keyConflict: count > 0 ? { ...conflict, count } : null };
    return conflict.kind;
  }

  #reseed(): void {
    this.#random = mulberry32(this.#faults.seed);
    this.#lostDice = mulberry32(this.#faults.seed ^ LOST_SALT);
    this.#serverErrors = 0;
  }
}
