// Where a result goes and what it is called. The naming template turns a job into a file name
// ({name}, {model}, {index}, {ext}, {task}, {date}), made safe for every OS; a name that is taken
// by a file from another job gets " (2)", " (3)"… so nothing is ever overwritten.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface NameFields {
  source: string;
  model: string;
  index: number;
  ext: string;
  taskId: string;
  date?: Date;
}

// Characters no OS accepts in a file name, plus control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f]/g;

export function renderName(template: string, fields: NameFields): string {
  const name = basename(fields.source, extname(fields.source));
  const values: Record<string, string> = {
    name,
    model: fields.model,
    index: String(fields.index),
    ext: fields.ext,
    task: fields.taskId,
    date: (fields.date ?? new Date()).toISOString().slice(0, 10),
  };
  const rendered = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  const safe = rendered
    .replace(UNSAFE, '_')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 200);
  return safe || `${name}-${fields.index}.${fields.ext}`;
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
