// Where a result goes and what it is called. The naming template (main/contract/naming.ts) turns
// a job into a file name made safe for every OS; place-results.ts gives a taken name " (2)",
// " (3)"… so nothing is ever overwritten.
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
