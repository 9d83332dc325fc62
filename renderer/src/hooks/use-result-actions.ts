// The bulk actions on selected results, shared by the actions bar and the grid's keys: show in
// folder (one file-manager window per folder, a few at most), copy paths, export into a picked
// folder (copies with sidecars, never over a file) and take off the list (files stay on disk).
import type { JobView } from '../../../main/contract/schemas.ts';
import { copyText } from '../lib/clipboard.ts';
import { plural } from '../lib/format.ts';
import { useApp } from './use-app.ts';

/** Folders revealed at most for one click (each opens a window of the file manager). */
const MAX_REVEALS = 5;

const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '');

export interface ResultActions {
  reveal: () => Promise<boolean>;
  copyPaths: () => Promise<boolean>;
  exportTo: () => Promise<boolean>;
  remove: () => Promise<boolean>;
}

export function useResultActions(
  selected: ReadonlySet<string>,
  onClear: () => void,
): ResultActions {
  const { client, act, toasts } = useApp();
  const ids = () => [...selected];
  const jobs = (): Promise<JobView[]> => client.call('jobs.get', { ids: ids() });
  const paths = async () => (await jobs()).flatMap((job) => job.results.map((r) => r.path));

  async function reveal(): Promise<void> {
    const byFolder = new Map<string, string>();
    for (const path of await paths())
      if (!byFolder.has(folderOf(path))) byFolder.set(folderOf(path), path);
    for (const path of [...byFolder.values()].slice(0, MAX_REVEALS))
      await client.call('shell.reveal', { path });
    if (byFolder.size > MAX_REVEALS)
      toasts.push({
        level: 'info',
        message: `Showed ${MAX_REVEALS} of the ${byFolder.size} folders these results are in.`,
      });
  }

  async function exportTo(): Promise<void> {
    const [folder] = (await client.call('files.pick', { kind: 'folder' })).paths;
    if (!folder) return;
    const report = await client.call('results.export', { ids: ids(), folder });
    const renamed =
      report.renamed > 0
        ? ` ${plural(report.renamed, 'name was', 'names were')} taken there, so those copies got a number.`
        : '';
    const failed =
      report.failed.length > 0
        ? ` ${plural(report.failed.length, 'image')} could not be copied: ${report.failed[0]!.reason}`
        : '';
    toasts.push({
      level: report.failed.length > 0 ? 'warning' : 'success',
      message: `Copied ${plural(report.copied, 'image')} with ${report.copied === 1 ? 'its sidecar' : 'their sidecars'} to ${folder}.${renamed}${failed}`,
    });
  }

  async function remove(): Promise<void> {
    if (selected.size === 0) return;
    const { count } = await client.call('jobs.remove', { ids: ids() });
    onClear();
    toasts.push({
      level: 'success',
      message: `Took ${plural(count, 'result')} off the list. The files stay on disk.`,
    });
  }

  return {
    reveal: () => act(reveal),
    copyPaths: () =>
      act(
        async () => copyText((await paths()).join('\n')),
        `Copied the paths of ${plural(selected.size, 'result')}.`,
      ),
    exportTo: () => act(exportTo),
    remove: () => act(remove),
  };
}
