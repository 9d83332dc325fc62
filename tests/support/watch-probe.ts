// Watched folders seen at work, so a test proves a quiet period instead of sleeping through one:
// it asks for a full pass over the folder and waits (with a deadline) for one that began after the
// ask, found nothing new and ended with nothing waiting to settle or be queued.
import type { WatchProbe } from '../../main/engine/watch/folder-watcher.ts';
import { until } from './until.ts';

type Pass = Parameters<WatchProbe['passed']>[1] & { folderId: string };

export function watchProbe() {
  const passes: Pass[] = [];
  const started: string[] = [];
  const wanted = new Set<string>();
  const probe: WatchProbe = {
    started: (folderId) => void started.push(folderId),
    passed: (folderId, pass) => void passes.push({ folderId, ...pass }),
    rescanWanted: (folderId) => wanted.has(folderId),
  };
  return {
    probe,
    /** The folders whose watcher was started, in order. */
    started,
    /**
     * Resolves once a full pass over the folder, begun after this call, handed nothing on and
     * ended idle: every file there is known with its current stamp and nothing is in flight, so
     * nothing more is queued without a new change on disk.
     */
    async quiet(folderId: string, timeoutMs = 30_000): Promise<void> {
      const since = Date.now();
      const isQuiet = (pass: Pass) =>
        pass.folderId === folderId &&
        pass.full &&
        pass.startedAt >= since &&
        pass.handedOn === 0 &&
        pass.idle;
      wanted.add(folderId);
      try {
        await until(
          () => passes.some(isQuiet),
          `a quiet full pass over ${folderId}`,
          timeoutMs,
          () => JSON.stringify(passes.filter((pass) => pass.startedAt >= since).slice(-5)),
        );
      } finally {
        wanted.delete(folderId);
      }
    },
  };
}
