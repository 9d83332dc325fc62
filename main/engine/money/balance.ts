// The APIMart balance as GenQueue last read it, read again when it grows old, and kept as a
// history for the Spend view. One read at a time however many submissions ask; a read that fails
// leaves the last known balance in place (the network monitor, not this, decides offline).
import type { BalanceReading } from '../../contract/money.ts';
import type { Balance } from '../../contract/schemas.ts';
import { readingOf } from './spend-store.ts';

/** A reading that says the same as the last one is stored again only after this long. */
const HISTORY_REPEAT_MS = 60 * 60_000;

export interface BalanceHistory {
  addBalance(reading: BalanceReading): void;
  latestBalance(): BalanceReading | null;
}

export type BalanceTracker = ReturnType<typeof createBalanceTracker>;

export function createBalanceTracker(
  read: () => Promise<Balance>,
  history: BalanceHistory,
  now: () => number = Date.now,
) {
  let latest: BalanceReading | undefined;
  let stored = history.latestBalance();
  let pending: Promise<BalanceReading | undefined> | undefined;

  function saw(balance: Balance): BalanceReading {
    const reading = readingOf(balance, now());
    latest = reading;
    const same =
      stored !== null &&
      stored.remaining === reading.remaining &&
      stored.used === reading.used &&
      stored.unlimited === reading.unlimited;
    if (!same || reading.at - stored!.at >= HISTORY_REPEAT_MS) {
      history.addBalance(reading);
      stored = reading;
    }
    return reading;
  }

  return {
    /** What APIMart said last (this session), if anything. */
    latest: (): BalanceReading | undefined => latest,
    /** Records a balance read elsewhere (the "check balance" button, a key test). */
    saw,
    /** Reads the balance now (joining a read under way); undefined when it cannot be read. */
    refresh(): Promise<BalanceReading | undefined> {
      pending ??= read()
        .then(saw, () => undefined)
        .finally(() => (pending = undefined));
      return pending;
    },
    /** How old the latest reading is, in ms (Infinity without one). */
    age: (): number => (latest ? now() - latest.at : Infinity),
  };
}
