// The JSON written beside every result: enough to know, months later, exactly what produced the
// image (source and its hash, recipe, task, preflight report, timings). Written atomically so a
// crash never leaves half a sidecar.
import { rename, writeFile } from 'node:fs/promises';
import type { PreflightReport, Recipe } from '../../contract/schemas.ts';
import { sidecarPath } from './output-names.ts';

export interface Sidecar {
  generator: 'GenQueue';
  version: string;
  source: string;
  sourceSha256: string | null;
  taskId: string;
  index: number;
  model: string;
  prompt: string;
  recipe: Recipe;
  simulated: boolean;
  preflight: PreflightReport | null;
  timings: Record<string, number>;
  createdAt: string;
}

export async function writeSidecar(resultPath: string, sidecar: Sidecar): Promise<string> {
  const path = sidecarPath(resultPath);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(sidecar, null, 2)}\n`);
  await rename(temp, path);
  return path;
}
