// Copies chosen results into a folder the person picked, byte for byte, each with its sidecar:
// the bytes go to a hidden temp file first and are then linked to the first free name (" (2)",
// " (3)"…), so nothing already in the folder is ever replaced or written through.
import { constants } from 'node:fs';
import { copyFile, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fail } from '../../contract/errors.ts';
import { withSuffix } from '../../contract/naming.ts';
import type { ExportReport } from '../../contract/results.ts';
import type { ResultFile } from '../../contract/schemas.ts';
import { linkExclusive, tempName } from './exclusive-files.ts';
import { sidecarPath } from './sidecar.ts';

/** How many numbered names are tried before a result is reported as not copied. */
const MAX_TRIES = 1000;

async function copyToTemp(from: string, folder: string): Promise<string> {
  const temp = join(folder, tempName('export'));
  await copyFile(from, temp, constants.COPYFILE_EXCL);
  return temp;
}

/** Gives `temp` (and its sidecar temp) the first free name for `name`; returns the name's number. */
async function placeCopy(
  folder: string,
  name: string,
  temp: string,
  sidecarTemp: string | undefined,
): Promise<number> {
  for (let k = 1; k <= MAX_TRIES; k++) {
    const target = join(folder, withSuffix(name, k));
    if (sidecarTemp && !(await linkExclusive(sidecarTemp, sidecarPath(target)))) continue;
    if (await linkExclusive(temp, target)) return k;
    if (sidecarTemp) await unlink(sidecarPath(target));
  }
  fail('io', `Every name for ${name} in ${folder} up to “ (${MAX_TRIES})” is taken.`);
}

async function exportOne(result: ResultFile, folder: string): Promise<number> {
  const temps: string[] = [];
  try {
    const temp = await copyToTemp(result.path, folder);
    temps.push(temp);
    const hasSidecar = await stat(result.sidecar).then(
      (stats) => stats.isFile(),
      () => false,
    );
    const sidecarTemp = hasSidecar ? await copyToTemp(result.sidecar, folder) : undefined;
    if (sidecarTemp) temps.push(sidecarTemp);
    return await placeCopy(folder, basename(result.path), temp, sidecarTemp);
  } finally {
    for (const temp of temps) await unlink(temp).catch(() => undefined);
  }
}

export async function exportResults(
  results: readonly ResultFile[],
  folder: string,
): Promise<ExportReport> {
  const isFolder = await stat(folder).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isFolder) fail('not_found', `${folder} is not a folder GenQueue can copy into.`);
  const report: ExportReport = { copied: 0, renamed: 0, failed: [] };
  for (const result of results) {
    try {
      const k = await exportOne(result, folder);
      report.copied++;
      if (k > 1) report.renamed++;
    } catch (thrown) {
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      report.failed.push({ path: result.path, reason });
    }
  }
  return report;
}
