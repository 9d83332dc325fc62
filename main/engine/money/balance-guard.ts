// The balance's part in spending: before a task is paid for, the balance GenQueue last read must
// pay for it after the tasks under way (else the queue pauses as `balance`, before any 402); and
// while no task reports its cost, a task alone in flight learns its price from the balance's move.
import { fail } from '../../contract/errors.ts';
import {
  formatPrice,
  formatUsd,
  fromMicros,
  toMicros,
  type BalanceReading,
} from '../../contract/money.ts';
import { within } from '../util/within.ts';
import type { BalanceTracker } from './balance.ts';
import type { Reservation } from './commitments.ts';
import type { KnownPrice } from './prices.ts';
import type { SpendStore } from './spend-store.ts';

/** A balance read older than this is read again in the background before a submission. */
const FRESH_MS = 60_000;
/** A balance that seems too low is read again first when older than this. */
const RECHECK_MS = 5_000;
/** How long a submission waits for a balance it has never read. */
const FIRST_READ_MS = 5_000;

export type BalanceGuard = ReturnType<typeof createBalanceGuard>;

export function createBalanceGuard(deps: {
  balance: BalanceTracker;
  store: SpendStore;
  /** Every task under way and not costed. */
  inFlight: () => Reservation[];
}) {
  const { balance, store } = deps;
  /** One task alone in flight with the balance read before it: its cost is the balance's move. */
  let window: { jobId: string; before: number; unlimited: boolean; spoiled: boolean } | undefined;
  /** APIMart has reported a task's cost: the balance need not be watched to learn prices. */
  let costsReported = false;

  /** What is left of `reading` after the tasks under way and the costs recorded since it. */
  const left = (reading: BalanceReading, flights: readonly Reservation[]): number =>
    toMicros(reading.remaining ?? 0) -
    flights.reduce((sum, r) => sum + (r.micros ?? 0), 0) -
    store.spentSince(reading.at + 1);

  return {
    /** Throws (pausing the queue as `balance`) when the known balance cannot pay for the task. */
    async check(price: KnownPrice | undefined, flights: readonly Reservation[]): Promise<void> {
      let reading = balance.latest();
      if (!reading) reading = await within(FIRST_READ_MS, balance.refresh());
      else if (balance.age() > FRESH_MS) void balance.refresh();
      const need = price?.micros ?? 1;
      const unknown = (read: BalanceReading | undefined): boolean =>
        !read || read.unlimited || read.remaining === null;
      if (unknown(reading) || left(reading!, flights) >= need) return;
      if (balance.age() > RECHECK_MS) reading = (await balance.refresh()) ?? reading;
      if (unknown(reading) || left(reading!, flights) >= need) return;
      const available = left(reading!, flights);
      const what = price
        ? `cannot pay for the next image (≈ ${formatPrice(fromMicros(price.micros))})`
        : 'is used up';
      fail(
        'balance',
        `Your APIMart balance (${formatUsd(Math.max(0, fromMicros(available)))} left after the images under way) ${what}: GenQueue paused before asking for it. Top up, then resume.`,
        { pause: 'balance' },
      );
    },

    /** A task is let through: alone, of unknown price, it opens the window; else it spoils one. */
    async letThrough(jobId: string, price: KnownPrice | undefined, alone: boolean): Promise<void> {
      if (window && window.jobId !== jobId) window.spoiled = true;
      if (price !== undefined || costsReported || !alone || window) return;
      const before = await balance.refresh();
      const figure = before?.unlimited ? before.used : before?.remaining;
      if (before && figure != null) {
        window = { jobId, before: figure, unlimited: before.unlimited, spoiled: false };
      }
    },

    /** What the balance says the window's task cost, if it was alone throughout. */
    async deltaOf(jobId: string): Promise<number | undefined> {
      const open = window;
      if (!open || open.jobId !== jobId) return undefined;
      window = undefined;
      if (open.spoiled || deps.inFlight().some((r) => r.jobId !== jobId)) return undefined;
      const after = await balance.refresh();
      const figure = after?.unlimited ? after.used : after?.remaining;
      if (!after || figure == null || after.unlimited !== open.unlimited) return undefined;
      const spent = open.unlimited ? figure - open.before : open.before - figure;
      return spent > 0 ? toMicros(spent) : undefined;
    },

    /** The job's task ended or will not be paid for: its window (if any) closes. */
    forget(jobId: string): void {
      if (window?.jobId === jobId) window = undefined;
    },

    /** APIMart reported a task's cost: prices come from there from now on. */
    costReported(): void {
      costsReported = true;
    },

    /** The balance now: read again (within 2 s) when a task cost something since, or after a minute. */
    async now(): Promise<BalanceReading | null> {
      const read = balance.latest();
      const moved = !read || balance.age() > FRESH_MS || store.spentSince(read.at + 1) > 0;
      if (moved) await within(2000, balance.refresh());
      return balance.latest() ?? store.latestBalance();
    },
  };
}
