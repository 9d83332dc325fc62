// One engine per data directory: the first to start writes a lock file naming its process; a
// second finds it and says who holds the queue. A lock left by a process that died is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EngineFailure, engineError } from '../../contract/errors.ts';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
  command: string;
}

export function lockPath(home: string): string {
  return join(home, 'engine.lock');
}

/** Who holds the data directory right now, if anyone alive does. */
export function readLock(home: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(lockPath(home), 'utf8')) as LockInfo;
    return info.host !== hostname() || isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws `busy` naming the holder. Returns the release function. */
export function acquireLock(home: string, command: string): () => void {
  mkdirSync(home, { recursive: true });
  const path = lockPath(home);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: Date.now(), command };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(home);
      if (holder) {
        throw new EngineFailure(
          engineError(
            'busy',
            `Another GenQueue (${holder.command}, process ${holder.pid}) is already working on the queue in ${home}. Stop it first, or use another GENQUEUE_HOME.`,
          ),
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new EngineFailure(engineError('busy', `GenQueue could not take the lock on ${home}.`));
}
