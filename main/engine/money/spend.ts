// The engine's purse: before each submission it checks the spending caps and the known balance
// (holding the job at a cap, or pausing the queue as `balance`, instead of paying or collecting
// 402s); when a task ends it records what it cost, once per task id, and learns the price; and it
// releases held jobs when a cap allows them again (raised, a new day, a new run, a price learned).
import { EngineFailure, engineError, fail } from '../../contract/errors.ts';
import type { EventEnvelope } from '../../contract/events.ts';
import {
  formatPrice,
  formatUsd,
  fromMicros,
  toMicros,
  type BalanceReading,
} from '../../contract/money.ts';
import type { Balance, Settings } from '../../contract/schemas.ts';
import { isFinished } from '../../contract/stages.ts';
import type { TaskState } from '../apimart/client.ts';
import type { Lifecycle } from '../jobs/lifecycle.ts';
import type { Database } from '../store/database.ts';
import { toRecord } from '../store/job-records.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import { createBalanceTracker } from './balance.ts';
import { judgeCaps, type CapVerdict } from './caps.ts';
import { createCommitments, type Reservation } from './commitments.ts';
import { createPriceBook, priceKey, priceShape, type KnownPrice } from './prices.ts';
import { createSpendStore, startOfDay, type CostSource } from './spend-store.ts';

export interface SpendOptions {
  db: Database;
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

/** A balance read older than this is read again in the background before a submission. */
const BALANCE_FRESH_MS = 60_000;
/** A balance that seems too low is read again first when older than this. */
const BALANCE_RECHECK_MS = 5_000;
/** How long a submission waits for a balance it has never read. */
const FIRST_READ_MS = 5_000;

const FINAL: readonly string[] = ['completed', 'failed', 'cancelled'];
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
  const jobById = options.db.prepare('SELECT * FROM jobs WHERE id = ?');
  const heldJobs = options.db.prepare(
    'SELECT * FROM jobs WHERE held = 1 AND cap_hold IS NOT NULL ORDER BY seq',
  );
  /** One task alone in flight with the balance read before it: its cost is the balance's change. */
  let window: { jobId: string; before: number; unlimited: boolean; spoiled: boolean } | undefined;
  /** APIMart has reported a task's cost: the balance need not be watched to learn prices. */
  let costsReported = false;
  let holds = heldJobs.all().length > 0;
  let reconsidering = false;
  let midnight: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  function judge(job: JobRecord, folderId: string | null, flights: readonly Reservation[]) {
    const price = prices.lookup(job.recipe);
    const key = priceKey(priceShape(job.recipe));
    const probing = price === undefined && flights.some((r) => r.key === key && r.micros === null);
    const verdict: CapVerdict = judgeCaps(price?.micros, ledger.limits(folderId, flights), probing);
    return { verdict, price };
  }

  /** Throws (pausing the queue as `balance`) when the known balance cannot pay for the task. */
  async function checkBalance(
    price: KnownPrice | undefined,
    flights: Reservation[],
  ): Promise<void> {
    let reading = balance.latest();
    if (!reading) reading = await withinMs(FIRST_READ_MS, balance.refresh());
    else if (balance.age() > BALANCE_FRESH_MS) void balance.refresh();
    const need = price?.micros ?? 1;
    const left = (at: number, remaining: number): number =>
      toMicros(remaining) -
      flights.reduce((sum, r) => sum + (r.micros ?? 0), 0) -
      store.spentSince(at + 1);
    if (!reading || reading.unlimited || reading.remaining === null) return;
    if (left(reading.at, reading.remaining) >= need) return;
    if (balance.age() > BALANCE_RECHECK_MS) reading = (await balance.refresh()) ?? reading;
    if (reading.unlimited || reading.remaining === null) return;
    const available = left(reading.at, reading.remaining);
    if (available >= need) return;
    const what = price
      ? `cannot pay for the next image (≈ ${formatPrice(fromMicros(price.micros))})`
      : 'is used up';
    fail(
      'balance',
      `Your APIMart balance (${formatUsd(Math.max(0, fromMicros(available)))} left after the images under way) ${what}: GenQueue paused before asking for it. Top up, then resume.`,
      { pause: 'balance' },
    );
  }

  /** Opens the balance window for a task alone in flight whose price is not known. */
  async function watchAlone(job: JobRecord, price: KnownPrice | undefined, alone: boolean) {
    if (window && window.jobId !== job.id) window.spoiled = true;
    if (price !== undefined || costsReported || !alone || window) return;
    const before = await balance.refresh();
    const figure = before?.unlimited ? before.used : before?.remaining;
    if (before && figure != null) {
      window = { jobId: job.id, before: figure, unlimited: before.unlimited, spoiled: false };
    }
  }

  /** What the balance says the window's task cost, if it was alone throughout. */
  async function balanceDelta(job: JobRecord): Promise<number | undefined> {
    const open = window;
    if (!open || open.jobId !== job.id) return undefined;
    window = undefined;
    if (open.spoiled || ledger.inFlight().some((r) => r.jobId !== job.id)) return undefined;
    const after = await balance.refresh();
    const figure = after?.unlimited ? after.used : after?.remaining;
    if (!after || figure == null || after.unlimited !== open.unlimited) return undefined;
    const spent = open.unlimited ? figure - open.before : open.before - figure;
    return spent > 0 ? toMicros(spent) : undefined;
  }

  /** Records the cost of `job`'s task once (by task id), ends its reservation and says so. */
  function record(job: JobRecord, micros: number | null, source: CostSource): JobRecord {
    if (!job.taskId) return job;
    store.record({
      taskId: job.taskId,
      jobId: job.id,
      model: job.recipe.model,
      priceKey: priceKey(priceShape(job.recipe)),
      micros,
      source,
      folderId: store.folderOf(job.id),
      batchAt: job.createdAt,
      at: now(),
    });
    ledger.settle(job.id, micros);
    if (window?.jobId === job.id) window = undefined;
    reconsiderSoon();
    return life.costed(job, micros);
  }

  /** The jobs held at a cap that fit now are released, in queue order; the rest keep (or update) their reason. */
  function reconsider(): void {
    reconsidering = false;
    const waiting = heldJobs.all().map(toRecord);
    holds = waiting.length > 0;
    if (!holds) return;
    const flights = ledger.inFlight();
    let released = false;
    for (const job of waiting) {
      const folderId = store.folderOf(job.id);
      const { verdict, price } = judge(job, folderId, flights);
      if (verdict.kind === 'go') {
        const free = life.releasedFromCap(job);
        if (free) changed(free);
        released = true;
        const key = priceKey(priceShape(job.recipe));
        flights.push({ jobId: job.id, key, micros: price?.micros ?? null, folderId, mine: true });
      } else if (verdict.hold.reason !== job.capHold?.reason) {
        changed(life.heldAtCap(job, verdict.hold));
      }
    }
    if (released) options.wake();
  }

  function reconsiderSoon(): void {
    if (!holds || reconsidering) return;
    reconsidering = true;
    setImmediate(reconsider);
  }

  /** Records a task that finished without a poll (a synchronous result) at its known price. */
  function costUnpolled(jobId: string): void {
    const row = jobById.get(jobId);
    const job = row ? toRecord(row) : undefined;
    if (!job?.taskId || job.costMicros !== null || store.has(job.taskId)) return;
    const micros = prices.lookup(job.recipe)?.micros ?? null;
    changed(record(job, micros, micros === null ? 'unknown' : 'price'));
  }

  /** Reconsiders at every local midnight: today's caps start again. */
  function armMidnight(): void {
    const next = startOfDay(now()) + 86_400_000 + 1000;
    midnight = setTimeout(
      () => {
        reconsider();
        armMidnight();
      },
      Math.max(1000, next - now()),
    );
    midnight.unref();
  }

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
        changed(life.heldAtCap(job, verdict.hold));
        holds = true;
        throw heldAtCapError(verdict.hold.reason);
      }
      // Reserved before any await: a submission checked meanwhile counts this one.
      ledger.reserve(job.id, job.recipe, folderId);
      try {
        await checkBalance(price, flights);
        await watchAlone(job, price, flights.length === 0);
      } catch (thrown) {
        ledger.settle(job.id, 0);
        throw thrown;
      }
      const cleared = life.releasedFromCap(job);
      if (cleared) changed(cleared);
    },

    /** A poll found the task ended: what it cost is recorded (once) and its price learned. */
    async taskFinished(job: JobRecord, state: TaskState): Promise<void> {
      if (!FINAL.includes(state.status) || !job.taskId || store.has(job.taskId)) return;
      const made = state.status === 'completed';
      let micros: number | null;
      let source: CostSource;
      if (state.cost !== undefined) {
        costsReported = true;
        micros = toMicros(state.cost);
        source = made ? 'reported' : 'failed';
      } else if (!made) {
        micros = 0;
        source = 'failed';
      } else {
        micros = (await balanceDelta(job)) ?? null;
        source = 'balance';
      }
      if (made && micros !== null && (source === 'reported' || source === 'balance')) {
        prices.learn(priceShape(job.recipe), micros, source);
      }
      if (micros === null) {
        micros = prices.lookup(job.recipe)?.micros ?? null;
        source = micros === null ? 'unknown' : 'price';
      }
      record(job, micros, source);
    },

    /** Every durable change of a job: a reservation ends when its job will not be paid for. */
    jobChanged(job: JobRecord): void {
      const early = !job.taskId && EARLY_STAGES.includes(job.stage);
      if (ledger.isReserved(job.id) && (isFinished(job.stage) || early)) {
        ledger.settle(job.id, 0);
        if (window?.jobId === job.id) window = undefined;
        reconsiderSoon();
      }
      // A result that came with the answer (nothing polled): costed at its known price.
      if (job.stage === 'downloading' && job.taskId && job.costMicros === null) {
        setImmediate(() => costUnpolled(job.id));
      }
    },

    /** The balance as APIMart says it now: read again (within 2 s) when a task cost something since, or after a minute. */
    async balanceNow(): Promise<BalanceReading | null> {
      const read = balance.latest();
      const moved = !read || balance.age() > BALANCE_FRESH_MS || store.spentSince(read.at + 1) > 0;
      if (moved) await withinMs(2000, balance.refresh());
      return balance.latest() ?? store.latestBalance();
    },

    reconsider,
    reconsiderSoon,
    /** A balance read elsewhere (the key test, the "check balance" button). */
    sawBalance(read: Balance): Balance {
      balance.saw(read);
      return read;
    },

    start(): void {
      reconsider();
      armMidnight();
      unsubscribe = options.subscribe((event) => {
        if (event.name === 'watch.updated') reconsiderSoon();
      });
    },

    stop(): void {
      if (midnight) clearTimeout(midnight);
      unsubscribe?.();
    },
  };
}

/** `work`'s value, or undefined when it takes longer than `ms` (it goes on in the background). */
async function withinMs<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
