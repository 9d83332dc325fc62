// Where a result goes and what it is called. The naming template (main/contract/naming.ts) turns
// a job into a file name made safe for every OS; a name that is taken by a file from another job
// gets " (2)", " (3)"… so nothing is ever overwritten.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileNameFromTemplate, type NameValues } from '../../contract/naming.ts';

export interface NameFields extends Omit<NameValues, 'name' | 'folder'> {
  source: string;
}

/**
 * The template's name for a result of `source`: {name} is its file name without extension,
 * {folder} the name of the folder it is in.
 */
export function renderName(template: string, fields: NameFields): string {
  const { source, ...values } = fields;
  return fileNameFromTemplate(template, {
    ...values,
    name: basename(source, extname(source)),
    folder: basename(dirname(source)),
  });
}

/** The folder a job's results go to: the recipe's, else the settings', else beside the source. */
export function outputDirFor(
  source: string,
  recipeOutDir?: string,
  settingsOutDir?: string,
): string {
  return recipeOutDir ?? settingsOutDir ?? join(dirname(source), 'genqueue-output');
}

export function sidecarPath(resultPath: string): string {
  return `${resultPath}.json`;
}

/**
 * A path for result `index` of `taskId` in `dir`: the template's name when it is free or already
 * holds this very result (a download redone after a crash), else the first free " (k)" variant.
 */
export function claimResultPath(
  dir: string,
  fileName: string,
  taskId: string,
  index: number,
): string {
  const ext = extname(fileName);
  const stem = fileName.slice(0, fileName.length - ext.length);
  for (let k = 1; ; k++) {
    const candidate = join(dir, k === 1 ? fileName : `${stem} (${k})${ext}`);
    if (!existsSync(candidate) || isSameResult(candidate, taskId, index)) return candidate;
  }
}

function isSameResult(path: string, taskId: string, index: number): boolean {
  try {
    const sidecar = JSON.parse(readFileSync(sidecarPath(path), 'utf8')) as Record<string, unknown>;
    return sidecar.taskId === taskId && sidecar.index === index;
  } catch {
    return false;
  }
}
