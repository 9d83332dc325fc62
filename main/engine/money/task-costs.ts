// What each task cost, recorded once by its task id: APIMart's reported cost (and the price it
// teaches), else the balance's move around a task that ran alone, else the known price, else
// unknown; a failed task costs nothing. A task finished without a poll is costed at its price.
import { toMicros } from '../../contract/money.ts';
import type { TaskState } from '../apimart/client.ts';
import type { Lifecycle } from '../jobs/lifecycle.ts';
import type { JobRecord } from '../store/jobs-store.ts';
import type { BalanceGuard } from './balance-guard.ts';
import type { Commitments } from './commitments.ts';
import { priceKey, priceShape, type PriceBook } from './prices.ts';
import type { CostSource, SpendStore } from './spend-store.ts';

const FINAL: readonly string[] = ['completed', 'failed', 'cancelled'];

export interface TaskCostDeps {
  /** The job as stored now. */
  job: (id: string) => JobRecord | undefined;
  life: Lifecycle;
  changed: (job: JobRecord) => void;
  store: SpendStore;
  prices: PriceBook;
  ledger: Commitments;
  guard: BalanceGuard;
  /** A cost was recorded: held jobs may fit now. */
  settled: () => void;
  now: () => number;
}

export function createTaskCosts(deps: TaskCostDeps) {
  const { store, prices, guard } = deps;

  /** Records the cost of `job`'s task once (by task id) and ends its reservation. */
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
      at: deps.now(),
    });
    deps.ledger.settle(job.id, micros);
    guard.forget(job.id);
    deps.settled();
    return deps.life.costed(job, micros);
  }

  /** What a finished task cost: APIMart's word, else the balance's move, else nothing yet. */
  async function costOf(job: JobRecord, state: TaskState) {
    const made = state.status === 'completed';
    if (state.cost !== undefined) {
      guard.costReported();
      return { micros: toMicros(state.cost), source: made ? 'reported' : 'failed' } as const;
    }
    if (!made) return { micros: 0, source: 'failed' } as const;
    return { micros: (await guard.deltaOf(job.id)) ?? null, source: 'balance' } as const;
  }

  /** Recorded at the known price, or as unknown. */
  function atKnownPrice(job: JobRecord): JobRecord {
    const micros = prices.lookup(job.recipe)?.micros ?? null;
    return record(job, micros, micros === null ? 'unknown' : 'price');
  }

  return {
    /** A poll found the task ended: what it cost is recorded (once) and its price learned. */
    async taskFinished(job: JobRecord, state: TaskState): Promise<void> {
      if (!FINAL.includes(state.status) || !job.taskId || store.has(job.taskId)) return;
      const cost = await costOf(job, state);
      if (cost.micros === null) {
        atKnownPrice(job);
        return;
      }
      if (state.status === 'completed' && cost.source !== 'failed') {
        prices.learn(priceShape(job.recipe), cost.micros, cost.source);
      }
      record(job, cost.micros, cost.source);
    },

    /** A task that finished without a poll (a synchronous result), costed at its known price. */
    costUnpolled(jobId: string): void {
      const job = deps.job(jobId);
      if (!job?.taskId || job.costMicros !== null || store.has(job.taskId)) return;
      deps.changed(atKnownPrice(job));
    },
  };
}
