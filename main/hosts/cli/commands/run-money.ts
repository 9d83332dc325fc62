// What `genqueue run` says about money: the estimate `--estimate` prints instead of uploading
// anything, and the summary of a run that stopped at a spending cap ("4 done, 6 held at the
// $0.20 cap"), which exits 3 so scripts can tell a cap from a failure.
import { formatUsd, type Estimate } from '../../../contract/money.ts';
import type { JobView, RecipePatch } from '../../../contract/schemas.ts';
import type { Engine } from '../../../engine/engine.ts';
import { call } from '../open-engine.ts';

/** The exit code of a run that stopped with jobs held at a spending cap. */
export const EXIT_AT_CAP = 3;

/** What the paths (or, with none, the queue's unpaid jobs) would cost; nothing is uploaded. */
export async function estimateRun(
  engine: Engine,
  paths: string[],
  recipe: RecipePatch,
): Promise<Estimate> {
  return paths.length === 0
    ? call(engine, 'spend.estimate', { queued: true })
    : call(engine, 'spend.estimate', { paths, recipe });
}

/** Held at a spending cap that only a raise (or a new day or run) releases, not a price learned. */
export function heldAtCap(job: JobView): boolean {
  return job.held && job.capHold !== undefined && job.capHold.scope !== 'price';
}

/** "4 done, 6 held at the $0.20 cap" (with the failed, when any); undefined when none is held. */
export function capSummary(jobs: readonly JobView[]): string | undefined {
  const held = jobs.filter(heldAtCap);
  if (held.length === 0) return undefined;
  const done = jobs.filter((job) => job.stage === 'done').length;
  const failed = jobs.filter((job) => job.stage === 'failed').length;
  const caps = [...new Set(held.map((job) => job.capHold?.capUsd).filter((c) => c !== undefined))];
  const cap = caps.length === 1 ? `the ${formatUsd(caps[0]!)} cap` : 'their caps';
  const parts = [`${done} done`, ...(failed > 0 ? [`${failed} failed`] : [])];
  return `${parts.join(', ')}, ${held.length} held at ${cap}`;
}

/** The reasons held jobs give, each once, for the lines under the summary. */
export function capReasons(jobs: readonly JobView[]): string[] {
  return [...new Set(jobs.filter(heldAtCap).map((job) => job.capHold!.reason))];
}
