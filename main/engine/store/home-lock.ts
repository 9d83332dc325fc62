// One engine per data directory: the first to start writes a lock file naming its process; a
// second finds it and says who holds the queue. A lock left by a process that died is taken over,
// and so is one whose PID now belongs to another process (judged by its start time where the OS
// tells it: Linux's /proc; elsewhere the PID alone).
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EngineFailure, engineError } from '../../contract/errors.ts';
import { privateFolder } from '../host/data-files.ts';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
  command: string;
  /** When the process started, in the OS's own terms (Linux: clock ticks after boot). */
  processStart?: string;
}

export function lockPath(home: string): string {
  return join(home, 'engine.lock');
}

/** The start time of process `pid` as the OS records it, where it can be read. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name before it, in parentheses, may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Who holds the data directory right now, if anyone alive does. */
export function readLock(home: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(lockPath(home), 'utf8')) as LockInfo;
    return info.host !== hostname() || isHolder(info) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The process the lock names is alive and is the one that wrote it (not a reused PID). */
function isHolder(info: LockInfo): boolean {
  if (!isAlive(info.pid)) return false;
  const now = info.processStart === undefined ? undefined : processStart(info.pid);
  return now === undefined || now === info.processStart;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const UNWRITABLE: Record<string, string> = {
  ENOSPC: 'its disk is full',
  EROFS: 'its disk is read-only',
  EACCES: 'it may not be written',
  EPERM: 'it may not be written',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a file is in the way',
};

/** The data directory cannot be written at all: one sentence instead of an errno. */
function unwritable(home: string, thrown: unknown): EngineFailure {
  const code = (thrown as NodeJS.ErrnoException).code ?? 'unknown';
  const why = UNWRITABLE[code] ?? `it cannot be written (${code})`;
  return new EngineFailure(
    engineError('io', `GenQueue cannot work in its data folder ${home}: ${why}.`, { detail: code }),
    { cause: thrown },
  );
}

/** Takes the lock or throws `busy` naming the holder. Returns the release function. */
export function acquireLock(home: string, command: string): () => void {
  try {
    privateFolder(home);
  } catch (thrown) {
    throw unwritable(home, thrown);
  }
  const path = lockPath(home);
  const started = processStart(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const info: LockInfo = {
        pid: process.pid,
        host: hostname(),
        startedAt: Date.now(),
        command,
        ...(started !== undefined && { processStart: started }),
      };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw code && code in UNWRITABLE ? unwritable(home, error) : error;
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
