// What is spent or under way, per cap: the tasks this engine let through (reserved at their price
// the moment they were allowed, before any await, so two submissions at once cannot both take the
// last cent), the paid tasks a previous run left uncosted, and what the spend table says today.
import { toMicros } from '../../contract/money.ts';
import type { Recipe, Settings } from '../../contract/schemas.ts';
import type { CapLimit } from './caps.ts';
import { priceKey, priceShape, type PriceBook } from './prices.ts';
import { startOfDay, type SpendStore } from './spend-store.ts';

/** A task paid for (or about to be) whose cost is not recorded yet. */
export interface Reservation {
  jobId: string;
  /** The recipe shape's price key: tasks of one shape share a price. */
  key: string;
  /** Its price when known; null while the shape's price is not. */
  micros: number | null;
  folderId: string | null;
  /** Let through by this engine (this run), so counted against this run's cap. */
  mine: boolean;
}

export interface CommitmentOptions {
  spend: SpendStore;
  prices: PriceBook;
  settings: () => Settings;
  /** This run's cap (genqueue run --max-spend), in micro-dollars. */
  runCapMicros?: number;
  now: () => number;
}

export type Commitments = ReturnType<typeof createCommitments>;

export function createCommitments(options: CommitmentOptions) {
  const { spend, prices } = options;
  /** Tasks this engine let through whose cost is not recorded yet, by job. */
  const approved = new Map<string, Reservation>();
  /** What the tasks this engine let through have cost so far (this run's spend). */
  let runSpent = 0;

  function reservationFor(jobId: string, recipe: Recipe, folderId: string | null, mine: boolean) {
    const price = prices.lookup(recipe);
    return {
      jobId,
      key: priceKey(priceShape(recipe)),
      micros: price?.micros ?? null,
      folderId,
      mine,
    };
  }

  return {
    reserve(jobId: string, recipe: Recipe, folderId: string | null): Reservation {
      const reservation = reservationFor(jobId, recipe, folderId, true);
      approved.set(jobId, reservation);
      return reservation;
    },

    isReserved: (jobId: string): boolean => approved.has(jobId),

    /** The task's cost is recorded (or it will never be paid): its reservation ends. */
    settle(jobId: string, micros: number | null): void {
      const reservation = approved.get(jobId);
      approved.delete(jobId);
      if (reservation?.mine) runSpent += micros ?? 0;
    },

    /** Every task under way and not costed, this engine's and those a previous run left. */
    inFlight(): Reservation[] {
      const all = new Map(approved);
      for (const job of spend.unsettled()) {
        if (!all.has(job.jobId))
          all.set(job.jobId, reservationFor(job.jobId, job.recipe, job.folderId, false));
      }
      return [...all.values()];
    },

    /** The caps that apply to a task of a job in `folderId`, with what each has committed. */
    limits(folderId: string | null, flights: readonly Reservation[]): CapLimit[] {
      const dayStart = startOfDay(options.now());
      const pending = (keep: (r: Reservation) => boolean): number =>
        flights.filter(keep).reduce((sum, r) => sum + (r.micros ?? 0), 0);
      const limits: CapLimit[] = [];
      if (options.runCapMicros !== undefined) {
        const committed = runSpent + pending((r) => r.mine);
        limits.push({ scope: 'run', capMicros: options.runCapMicros, committedMicros: committed });
      }
      const perDay = options.settings().spendCapPerDay;
      if (perDay != null) {
        const committed = spend.spentSince(dayStart) + pending(() => true);
        limits.push({ scope: 'day', capMicros: toMicros(perDay), committedMicros: committed });
      }
      const perFolder = folderId === null ? undefined : spend.folderCapUsd(folderId);
      if (folderId !== null && perFolder !== undefined) {
        const committed =
          spend.spentSince(dayStart, folderId) + pending((r) => r.folderId === folderId);
        limits.push({
          scope: 'folder',
          capMicros: toMicros(perFolder),
          committedMicros: committed,
        });
      }
      return limits;
    },
  };
}
