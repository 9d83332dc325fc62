// The switchable failures of the APIMart simulator, and the seeded dice that decide which request
// meets which failure. One roll per request, partitioned by the configured fractions, so a run with
// the same seed and the same request order meets exactly the same faults.

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
}

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

export class FaultState {
  #faults: Faults = defaultFaults();
  #random: () => number = mulberry32(this.#faults.seed);
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

  #reseed(): void {
    this.#random = mulberry32(this.#faults.seed);
    this.#serverErrors = 0;
  }
}
