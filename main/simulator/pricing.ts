// What the simulator charges, as APIMart would: a price per model, resolution and image, each
// task charged once when it completes (a failed task costs nothing), reported on the task as
// `cost` (USD) and `credits_cost` (10 credits a dollar), and taken off the balance it reports.
// Tests read the charged total back from the balance's `used_balance`.

/** USD per result image, by model (and resolution, upper-cased), for the simulated price list. */
export type PriceList = Record<string, number | Record<string, number>>;

export interface PricingOptions {
  /** One price per image for every model, or a list by model; default: DEFAULT_PRICES. */
  perImageUsd?: number | PriceList;
  /** Whether completed tasks carry `cost` (default true); false: GenQueue must learn from the balance. */
  reportCost?: boolean;
}

/** Roughly APIMart's observed prices (APIMART.md §7), so the simulator's money looks real. */
export const DEFAULT_PRICES: PriceList = {
  'gpt-image-2': { '1K': 0.0085, '2K': 0.014, '4K': 0.021 },
  'gemini-3-pro-image-preview': { '1K': 0.04, '2K': 0.04, '4K': 0.08 },
  'gemini-3.1-flash-image-preview': 0.02,
};
const FALLBACK_USD = 0.02;

/** What the simulator needs of a task to price it. */
export interface PricedTask {
  id: string;
  model: string;
  n: number;
  resolution?: string | null;
}

const MICROS = 1_000_000;

export class Pricing {
  readonly #options: PricingOptions;
  /** Micro-dollars charged per task id: each task once. */
  readonly #charged = new Map<string, number>();

  constructor(options: PricingOptions = {}) {
    this.#options = options;
  }

  get reportsCost(): boolean {
    return this.#options.reportCost ?? true;
  }

  /** A task's price in micro-dollars: its model's price per image (at its resolution) times n. */
  #microsOf(task: PricedTask): number {
    const list = this.#options.perImageUsd ?? DEFAULT_PRICES;
    const entry = typeof list === 'number' ? list : (list[task.model] ?? FALLBACK_USD);
    const resolution = task.resolution?.toUpperCase() ?? '';
    const perImage =
      typeof entry === 'number' ? entry : (entry[resolution] ?? Object.values(entry)[0] ?? 0);
    return Math.round(perImage * MICROS) * task.n;
  }

  /** Charges a completed task (once); returns its cost in USD. */
  charge(task: PricedTask): number {
    let micros = this.#charged.get(task.id);
    if (micros === undefined) {
      micros = this.#microsOf(task);
      this.#charged.set(task.id, micros);
    }
    return micros / MICROS;
  }

  /** Everything charged so far, in USD. */
  get totalUsd(): number {
    let micros = 0;
    for (const value of this.#charged.values()) micros += value;
    return micros / MICROS;
  }

  /** The balance after the charges: `remaining` less what was charged (unlimited stays unlimited). */
  balanceAfter(balance: { remaining: number; used: number }): { remaining: number; used: number } {
    const spent = Math.round(this.totalUsd * MICROS);
    return {
      remaining: (Math.round(balance.remaining * MICROS) - spent) / MICROS,
      used: (Math.round(balance.used * MICROS) + spent) / MICROS,
    };
  }
}
