// Jobs held at a spending cap, and their release: whenever a cap may allow more (a cost recorded,
// a reservation ended, a cap raised, a folder's settings changed, local midnight, a new run), the
// held jobs are judged again in queue order and those that fit now go back to the queue.
import type { CapHold } from '../../contract/schemas.ts';
import type { Lifecycle } from '../jobs/lifecycle.ts';
import type { Database } from '../store/database.ts';
import { toRecord } from '../store/job-records.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import type { CapVerdict } from './caps.ts';
import type { Reservation } from './commitments.ts';
import type { KnownPrice } from './prices.ts';
import { priceKey, priceShape } from './prices.ts';
import { startOfDay } from './spend-store.ts';

export interface CapHoldDeps {
  db: Database;
  life: Lifecycle;
  changed: (job: JobRecord) => void;
  /** Jobs were released: let the scheduler look for work. */
  wake: () => void;
  judge: (
    job: JobRecord,
    folderId: string | null,
    flights: readonly Reservation[],
  ) => { verdict: CapVerdict; price: KnownPrice | undefined };
  folderOf: (jobId: string) => string | null;
  inFlight: () => Reservation[];
  now: () => number;
}

export type CapHolds = ReturnType<typeof createCapHolds>;

export function createCapHolds(deps: CapHoldDeps) {
  const { life, changed } = deps;
  const heldJobs = deps.db.prepare(
    'SELECT * FROM jobs WHERE held = 1 AND cap_hold IS NOT NULL ORDER BY seq',
  );
  let holds = heldJobs.all().length > 0;
  let reconsidering = false;
  let midnight: NodeJS.Timeout | undefined;

  /** The held jobs that fit now are released, in queue order; the rest keep (or update) their reason. */
  function reconsider(): void {
    reconsidering = false;
    const waiting = heldJobs.all().map(toRecord);
    holds = waiting.length > 0;
    if (!holds) return;
    const flights = deps.inFlight();
    let released = false;
    for (const job of waiting) {
      const folderId = deps.folderOf(job.id);
      const { verdict, price } = deps.judge(job, folderId, flights);
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
    if (released) deps.wake();
  }

  /** Reconsiders at every local midnight: today's caps start again. */
  function armMidnight(): void {
    const next = startOfDay(deps.now()) + 86_400_000 + 1000;
    midnight = setTimeout(
      () => {
        reconsider();
        armMidnight();
      },
      Math.max(1000, next - deps.now()),
    );
    midnight.unref();
  }

  return {
    hold(job: JobRecord, hold: CapHold): void {
      changed(life.heldAtCap(job, hold));
      holds = true;
    },
    reconsider,
    /** Reconsiders once the current step is over (many reasons at once make one pass). */
    reconsiderSoon(): void {
      if (!holds || reconsidering) return;
      reconsidering = true;
      setImmediate(reconsider);
    },
    start(): void {
      reconsider();
      armMidnight();
    },
    stop(): void {
      if (midnight) clearTimeout(midnight);
    },
  };
}
