// What the simulator must remember across runs on one data directory: its uploads, tasks and
// idempotency keys. Held in memory and appended to journal.jsonl as each changes (synchronously,
// so even SIGKILL loses nothing); a simulator started again on the folder reads it back, so a
// `--simulate` run stopped and started again still finds every task and upload it was given.
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Task } from './tasks.ts';

export interface StoredUpload {
  file: string;
  contentType: string;
}

/** A key's first answer, replayed to an identical repeat. */
export interface KeyRecord {
  key: string;
  bodySha256: string;
  taskId: string;
  reply: { status: number; json: unknown };
}

type Entry =
  | { kind: 'upload'; at: number; name: string; contentType: string }
  | { kind: 'task'; at: number; task: Task; body: unknown; key: KeyRecord | null };

const JOURNAL = 'journal.jsonl';
/** How long anything is kept: APIMart's uploaded and result files live 72 hours. */
const KEEP_MS = 72 * 60 * 60 * 1000;

const lineOf = (entry: Entry): string => `${JSON.stringify(entry)}\n`;

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The journal's entries; a line cut short by a kill mid-write (or garbled) is skipped. */
function parseJournal(text: string): Entry[] {
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      const entry = JSON.parse(line) as Partial<Entry> | null;
      const known = entry?.kind === 'upload' || entry?.kind === 'task';
      return known && typeof entry.at === 'number' ? [entry as Entry] : [];
    } catch {
      return [];
    }
  });
}

/** Replaces the journal by one holding only `entries` (written aside, then renamed over it). */
function rewriteJournal(journal: string, entries: Entry[]): void {
  const fresh = `${journal}.new`;
  const fd = openSync(fresh, 'w');
  writeSync(fd, entries.map(lineOf).join(''));
  closeSync(fd);
  renameSync(fresh, journal);
}

export class SimStore {
  readonly #uploadDir: string;
  readonly #uploads = new Map<string, StoredUpload>(); // by stored name
  readonly #tasks = new Map<string, Task>();
  readonly #keys = new Map<string, KeyRecord>();
  readonly #earlierBodies: unknown[] = [];
  #fd: number | null;

  /** Reads back what earlier runs on `dataDir` kept, dropping (and deleting) what has expired. */
  constructor(dataDir: string, now = Date.now()) {
    this.#uploadDir = path.join(dataDir, 'uploads');
    const journal = path.join(dataDir, JOURNAL);
    const text = readText(journal);
    const entries = parseJournal(text);
    const kept = entries.filter((entry) => now - entry.at < KEEP_MS);
    for (const entry of kept) this.#apply(entry);
    if (kept.length < entries.length) {
      this.#deleteExpired(
        dataDir,
        entries.filter((entry) => now - entry.at >= KEEP_MS),
      );
      rewriteJournal(journal, kept);
    }
    this.#fd = openSync(journal, 'a');
    // A line cut short by a kill is ended, so the next entry starts a line of its own.
    if (kept.length === entries.length && text !== '' && !text.endsWith('\n')) {
      writeSync(this.#fd, '\n');
    }
  }

  upload(name: string): StoredUpload | undefined {
    return this.#uploads.get(name);
  }

  task(id: string): Task | undefined {
    return this.#tasks.get(id);
  }

  key(key: string): KeyRecord | undefined {
    return this.#keys.get(key);
  }

  /** The request bodies of the tasks earlier runs made, for duplicate counting. */
  earlierBodies(): readonly unknown[] {
    return this.#earlierBodies;
  }

  addUpload(name: string, contentType: string, now: number): StoredUpload {
    this.#write({ kind: 'upload', at: now, name, contentType });
    return this.#keepUpload(name, contentType);
  }

  /** A new task and, when it was made under a key, the answer that key now replays: one line. */
  addTask(task: Task, body: unknown, key: KeyRecord | null): void {
    const entry: Entry = { kind: 'task', at: task.createdAt, task, body, key };
    this.#write(entry);
    this.#tasks.set(task.id, task);
    if (key) this.#keys.set(key.key, key);
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  #write(entry: Entry): void {
    if (this.#fd === null) throw new Error('the simulator store is closed');
    writeSync(this.#fd, lineOf(entry));
  }

  /** Takes in an entry an earlier run wrote. */
  #apply(entry: Entry): void {
    if (entry.kind === 'upload') {
      this.#keepUpload(entry.name, entry.contentType);
      return;
    }
    this.#tasks.set(entry.task.id, entry.task);
    this.#earlierBodies.push(entry.body);
    if (entry.key) this.#keys.set(entry.key.key, entry.key);
  }

  #keepUpload(name: string, contentType: string): StoredUpload {
    const stored = { file: path.join(this.#uploadDir, name), contentType };
    this.#uploads.set(name, stored);
    return stored;
  }

  /** Removes the files of expired uploads and the rendered results of expired tasks. */
  #deleteExpired(dataDir: string, expired: Entry[]): void {
    const resultDir = path.join(dataDir, 'results');
    const taskIds = new Set(expired.flatMap((e) => (e.kind === 'task' ? [e.task.id] : [])));
    let results: string[] = [];
    try {
      results = readdirSync(resultDir);
    } catch {
      // no results folder yet: nothing rendered
    }
    const files = [
      ...expired.flatMap((e) => (e.kind === 'upload' ? [path.join(this.#uploadDir, e.name)] : [])),
      ...results
        .filter((name) => taskIds.has(name.slice(0, name.lastIndexOf('-'))))
        .map((name) => path.join(resultDir, name)),
    ];
    for (const file of files) rmSync(file, { force: true });
  }
}
