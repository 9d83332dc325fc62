// Money as every host shows it: the estimate before a batch, the spend report after it, and one
// way of writing dollars, so the CLI, the recipe bar, the drop overlay and the Spend view all say
// "≈ $0.42 for 20 images" alike. Amounts travel in USD; the engine counts in micro-dollars.
import { z } from 'zod';
import { RecipePatchSchema } from './schemas.ts';

/** Micro-dollars per dollar: the engine's integer unit, so caps hold to the cent and beyond. */
export const MICROS = 1_000_000;

export function toMicros(usd: number): number {
  return Math.round(usd * MICROS);
}

export function fromMicros(micros: number): number {
  return micros / MICROS;
}

/** "$0.42", "$12.00", "$0.0085": cents when they say enough, four decimals below a cent. */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs === 0 || abs >= 0.01) return `${sign}$${abs.toFixed(2)}`;
  return `${sign}$${abs.toFixed(4).replace(/0+$/, '')}`;
}

/** A price, as precise as it was learned: "$0.021", "$0.0085", "$0.04" (at most four decimals). */
export function formatPrice(usd: number): string {
  const text = Math.abs(usd)
    .toFixed(4)
    .replace(/0{1,2}$/, '');
  return `${usd < 0 ? '-' : ''}$${text}`;
}

export const PRICE_UNKNOWN_TEXT = 'price known after the first image';

/** What a batch will cost: by count, by the files themselves, or for the queue's unpaid jobs. */
export const EstimateInputSchema = z.strictObject({
  recipe: RecipePatchSchema.optional(),
  /** How many source images (each one task). */
  count: z.int().min(0).max(1_000_000).optional(),
  /** Files and folders to count (folders recursively), instead of `count`. */
  paths: z.array(z.string().min(1).max(4096)).max(100_000).optional(),
  /** The jobs in the queue not paid for yet, each with its own recipe (recipe and count unused). */
  queued: z.boolean().optional(),
});
export type EstimateInput = z.infer<typeof EstimateInputSchema>;

export interface Estimate {
  /** Source images counted (each becomes one task of `n` results). */
  images: number;
  /** The whole batch in USD; null while a price is not known. */
  usd: number | null;
  /** One task of the recipe, when its price is known. */
  perImageUsd: number | null;
  /** Where the price comes from: "Settings", "learned 3 May from APIMart's reported cost", … */
  source: string | null;
  /** Images whose price is not known yet (counted in `images`, not in `usd`). */
  unpriced: number;
  /** "≈ $0.42 for 20 images", or "price known after the first image". */
  text: string;
}

/** One line of a spend breakdown (a day, a model, a batch, a watched folder). */
export interface SpendLine {
  key: string;
  label: string;
  usd: number;
  tasks: number;
}

export interface BalanceReading {
  at: number;
  remaining: number | null;
  used: number | null;
  unlimited: boolean;
}

export interface LearnedPrice {
  model: string;
  resolution: string | null;
  size: string | null;
  n: number;
  usd: number;
  /** "APIMart's reported cost", "the balance before and after", "Settings". */
  source: string;
  learnedAt: number;
}

export interface SpendReport {
  todayUsd: number;
  totalUsd: number;
  tasks: number;
  /** Tasks whose cost GenQueue could not learn (counted in `tasks`, not in the sums). */
  unknownTasks: number;
  /** The last 30 days, oldest first, every day present (zero when nothing was spent). */
  byDay: SpendLine[];
  byModel: SpendLine[];
  /** The latest batches first (jobs queued together). */
  byBatch: SpendLine[];
  byFolder: SpendLine[];
  balance: BalanceReading | null;
  /** Balance readings, oldest first (at most 200). */
  balanceHistory: BalanceReading[];
  /** Today's cap from Settings, if any. */
  capPerDayUsd: number | null;
  prices: LearnedPrice[];
}

/** The totals `genqueue status --json` prints. */
export interface SpendTotals {
  todayUsd: number;
  totalUsd: number;
  tasks: number;
  unknownTasks: number;
  byModel: { model: string; usd: number; tasks: number }[];
}
