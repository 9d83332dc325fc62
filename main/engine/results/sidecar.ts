// The JSON written beside every result: enough to know, months later, exactly what produced the
// image (source and its hash, recipe, task, preflight report, timings, what was left out). It also
// says which job, task and result it belongs to, so a sidecar GenQueue left behind is known as its own.
import { lstat, readFile } from 'node:fs/promises';
import type { PreflightReport, Recipe } from '../../contract/schemas.ts';
import type { ResultKey } from '../store/result-files.ts';

export interface Sidecar {
  generator: 'GenQueue';
  version: string;
  job: string;
  source: string;
  sourceSha256: string | null;
  taskId: string;
  index: number;
  model: string;
  prompt: string;
  recipe: Recipe;
  simulated: boolean;
  /** What the task cost (USD), when known: APIMart's reported cost, else the price learned. */
  cost?: { usd: number };
  preflight: PreflightReport | null;
  /** What APIMart sent that GenQueue did not keep, in sentences (e.g. results beyond `n`). */
  ignored?: string[];
  /** How the task was asked for: its Idempotency-Key, how often it was sent, the path it took. */
  submission?: { idempotencyKey: string; sends: number; path: string[] };
  timings: Record<string, number>;
  createdAt: string;
}

export function sidecarPath(resultPath: string): string {
  return `${resultPath}.json`;
}

export function sidecarText(sidecar: Sidecar): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

/** Whether the file at `path` is the sidecar of result `key` (one GenQueue wrote for it). */
export async function isSidecarOf(path: string, key: ResultKey): Promise<boolean> {
  try {
    if (!(await lstat(path)).isFile()) return false; // a link, a folder or a FIFO is nobody's sidecar
    const sidecar = JSON.parse(await readFile(path, 'utf8')) as Partial<Sidecar>;
    return (
      sidecar.job === key.jobId && sidecar.taskId === key.taskId && sidecar.index === key.index
    );
  } catch {
    return false;
  }
}
