// The engine's purse: before each submission it checks the spending caps and the known balance
// (holding the job at a cap, or pausing the queue as `balance`, instead of paying or collecting
// 402s); when a task ends it records what it cost, once per task id, and learns the price; and it
// releases held jobs when a cap allows them again (raised, a new day, a new run, a price learned).
import { EngineFailure, engineError } from '../../contract/errors.ts';
import type { EventEnvelope } from '../../contract/events.ts';
import { toMicros } from '../../contract/money.ts';
import type { Balance, Settings } from '../../contract/schemas.ts';
import { isFinished } from '../../contract/stages.ts';
import type { Lifecycle } from '../jobs/lifecycle.ts';
import type { Database } from '../store/database.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import { createBalanceGuard } from './balance-guard.ts';
import { createBalanceTracker } from './balance.ts';
import { createCapHolds } from './cap-holds.ts';
import { judgeCaps } from './caps.ts';
import { createCommitments, type Reservation } from './commitments.ts';
import { createPriceBook, priceKey, priceShape } from './prices.ts';
import { createSpendStore } from './spend-store.ts';
import { createTaskCosts } from './task-costs.ts';

export interface SpendOptions {
  db: Database;
  /** The job as stored now. */
  job: (id: string) => JobRecord | undefined;
  life: Lifecycle;
  settings: () => Settings;
  /** Reads APIMart's balance (through the client in use now). */
  readBalance: () => Promise<Balance>;
  changed: (job: JobRecord) => void;
  /** Jobs were released: let the scheduler look for work. */
  wake: () => void;
  subscribe: (listener: (event: EventEnvelope) => void) => () => void;
  /** This run's cap in USD (genqueue run --max-spend). */
  runCapUsd?: number;
  now?: () => number;
}

/** Stages before any payment: a job back in one of them will not be paid for as it was. */
const EARLY_STAGES: readonly string[] = ['queued', 'preparing', 'uploading'];

/** Thrown after a job was held at a cap: the hold is the decision (the scheduler judges nothing). */
export function heldAtCapError(reason: string): EngineFailure {
  return new EngineFailure(engineError('cancelled', reason, { detail: 'held-at-cap' }));
}

/** The one call in runSubmit: the caps and the balance allow this job's task, or it does not go. */
export async function checkSpendBeforePaying(
  ctx: { spend: SpendService },
  job: JobRecord,
): Promise<void> {
  await ctx.spend.beforePaying(job);
}

export type SpendService = ReturnType<typeof createSpendService>;

export function createSpendService(options: SpendOptions) {
  const now = options.now ?? Date.now;
  const { life, changed } = options;
  const store = createSpendStore(options.db);
  const prices = createPriceBook(options.db, () => options.settings().prices ?? []);
  const balance = createBalanceTracker(options.readBalance, store, now);
  const ledger = createCommitments({
    spend: store,
    prices,
    settings: options.settings,
    ...(options.runCapUsd !== undefined && { runCapMicros: toMicros(options.runCapUsd) }),
    now,
  });
  const guard = createBalanceGuard({ balance, store, inFlight: ledger.inFlight });
  let unsubscribe: (() => void) | undefined;

  function judge(job: JobRecord, folderId: string | null, flights: readonly Reservation[]) {
    const price = prices.lookup(job.recipe);
    const key = priceKey(priceShape(job.recipe));
    const probing = price === undefined && flights.some((r) => r.key === key && r.micros === null);
    return { verdict: judgeCaps(price?.micros, ledger.limits(folderId, flights), probing), price };
  }

  const holds = createCapHolds({
    db: options.db,
    life,
    changed,
    wake: options.wake,
    judge,
    folderOf: store.folderOf,
    inFlight: ledger.inFlight,
    now,
  });

  const costs = createTaskCosts({
    job: options.job,
    life,
    changed,
    store,
    prices,
    ledger,
    guard,
    settled: holds.reconsiderSoon,
    now,
  });

  return {
    store,
    prices,
    balance,

    /**
     * Before a task is paid for: holds the job at a cap that it would pass (then throws), or
     * pauses the queue when the known balance cannot pay for it; else reserves its price.
     */
    async beforePaying(job: JobRecord): Promise<void> {
      // A request already let through (sent again after a lost answer) is counted already.
      if (ledger.isReserved(job.id) || job.submitIntendedAt != null) return;
      const folderId = store.folderOf(job.id);
      const flights = ledger.inFlight().filter((r) => r.jobId !== job.id);
      const { verdict, price } = judge(job, folderId, flights);
      if (verdict.kind === 'hold') {
        holds.hold(job, verdict.hold);
        throw heldAtCapError(verdict.hold.reason);
      }
      // Reserved before any await: a submission checked meanwhile counts this one.
      ledger.reserve(job.id, job.recipe, folderId);
      try {
        await guard.check(price, flights);
        await guard.letThrough(job.id, price, flights.length === 0);
      } catch (thrown) {
        ledger.settle(job.id, 0);
        throw thrown;
      }
      const cleared = life.releasedFromCap(job);
      if (cleared) changed(cleared);
    },

    /** A poll found the task ended: what it cost is recorded (once) and its price learned. */
    taskFinished: costs.taskFinished,

    /** Every durable change of a job: a reservation ends when its job will not be paid for. */
    jobChanged(job: JobRecord): void {
      const early = !job.taskId && EARLY_STAGES.includes(job.stage);
      if (ledger.isReserved(job.id) && (isFinished(job.stage) || early)) {
        ledger.settle(job.id, 0);
        guard.forget(job.id);
        holds.reconsiderSoon();
      }
      // A result that came with the answer (nothing polled): costed at its known price.
      if (job.stage === 'downloading' && job.taskId && job.costMicros === null) {
        setImmediate(() => costs.costUnpolled(job.id));
      }
    },

    /** The balance now, read again when a task cost something since it was read. */
    balanceNow: guard.now,
    reconsider: holds.reconsider,
    reconsiderSoon: holds.reconsiderSoon,
    /** A balance read elsewhere (the key test, the "check balance" button). */
    sawBalance(read: Balance): Balance {
      balance.saw(read);
      return read;
    },

    start(): void {
      holds.start();
      unsubscribe = options.subscribe((event) => {
        if (event.name === 'watch.updated') holds.reconsiderSoon();
      });
    },

    stop(): void {
      holds.stop();
      unsubscribe?.();
    },
  };
}
