// From a stable file to a queued job: the file is taken (opened and hashed, take-file.ts; a locked
// one is tried again a few times), batched with others, claimed in the processed ledger, and only
// new (hash, recipe) pairs are queued and linked to their jobs; what cannot be queued is released,
// so the next scan takes it again. A file is never taken twice at once, and nothing is lost.
import { toEngineError } from '../../contract/errors.ts';
import type { EnqueueResult } from '../../contract/routes.ts';
import type { RecipePatch } from '../../contract/schemas.ts';
import type { Limiter } from '../util/limit.ts';
import { takeFile, type WatchedRoot } from './take-file.ts';
import type { Claim, FileStamp, WatchStore } from './watch-store.ts';

/** Hashed files are claimed and queued together: up to this long after the first, or this many. */
const BATCH_DELAY_MS = 50;
const BATCH_MAX = 1000;
const MAX_OPEN_TRIES = 5;

/** What intake needs of the store: the files seen, and the processed ledger. */
export type IntakeStore = Pick<WatchStore, 'seen' | 'markSeen' | 'claim' | 'linkJobs' | 'release'>;

export interface IntakeDeps {
  folderId: string;
  store: IntakeStore;
  /** The recipe (and output folder) this folder's jobs get. */
  patch: RecipePatch;
  /** The recipe key for the ledger; throws when the recipe cannot be completed. */
  recipeKey(patch: RecipePatch): string;
  enqueue(paths: string[], patch: RecipePatch): Promise<EnqueueResult>;
  hashes: Limiter;
  /** The watched folder as named and as it really is now. */
  root(): WatchedRoot;
  signal: AbortSignal;
  /** The file must settle again (it changed while read, or could not be opened yet). */
  retouch(path: string): void;
  skip(path: string, stamp: FileStamp, reason: string): void;
  /** Counts changed (files queued, or found known). */
  changed(): void;
  /** Files could not be queued: the folder shows it and starts over later. */
  trouble(message: string): Promise<void>;
  take?: typeof takeFile;
}

export interface Intake {
  /** A file the stability tracker found still: take it unless it is known or being taken. */
  offer(path: string, stamp: FileStamp): void;
  /** Nothing between stable and queued: no file being read, batched, claimed or queued. */
  readonly idle: boolean;
  /** Claims and queues what is batched now; resolves when every batch so far is done. */
  flush(): Promise<void>;
}

/** A stable file, read and hashed, waiting for its batch to be claimed. */
interface Hashed {
  sha256: string;
  source: string;
  stamp: FileStamp;
}

export function createIntake(deps: IntakeDeps): Intake {
  const { folderId, store, signal } = deps;
  const take = deps.take ?? takeFile;
  const openTries = new Map<string, number>();
  /** Files between "stable" and claimed (being read, or waiting in a batch): never taken twice. */
  const taking = new Set<string>();
  let batch: Hashed[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  /** Batches handed to flush and not yet queued and linked (or released). */
  let batchesInFlight = 0;

  function add(file: Hashed): void {
    batch.push(file);
    if (batch.length >= BATCH_MAX) void flush();
    else batchTimer ??= setTimeout(() => void flush(), BATCH_DELAY_MS);
  }

  /** Locked or not yet readable (a writer that still holds it on Windows): tried again later. */
  function unreadable(path: string, stamp: FileStamp, thrown: unknown): void {
    const tries = (openTries.get(path) ?? 0) + 1;
    openTries.set(path, tries);
    if (tries < MAX_OPEN_TRIES) return deps.retouch(path);
    openTries.delete(path);
    const why = (thrown as NodeJS.ErrnoException).code ?? toEngineError(thrown).message;
    deps.skip(path, stamp, `GenQueue could not open it after ${MAX_OPEN_TRIES} tries (${why}).`);
  }

  async function read(path: string, stamp: FileStamp): Promise<void> {
    let batched = false;
    try {
      const taken = await deps.hashes.run(() => take(path, stamp, signal, deps.root()));
      if (signal.aborted) return;
      openTries.delete(path);
      if (taken.kind === 'changed') deps.retouch(path);
      else if (taken.kind === 'ours') store.markSeen(folderId, [{ path, stamp }]);
      else if (taken.kind === 'refused') deps.skip(path, stamp, taken.reason);
      else if (taken.kind === 'taken') {
        add({ sha256: taken.sha256, source: path, stamp });
        batched = true;
      }
    } catch (thrown) {
      if (!signal.aborted) unreadable(path, stamp, thrown);
    } finally {
      if (!batched) taking.delete(path);
    }
  }

  /** Queues the new claims and links them to their jobs; refused ones are given back. */
  async function enqueue(fresh: Claim[]): Promise<void> {
    const result = await deps.enqueue(
      fresh.map((claim) => claim.source),
      deps.patch,
    );
    const refused = new Set(result.skipped.map((skipped) => skipped.path));
    const accepted = fresh.filter((claim) => !refused.has(claim.source));
    store.linkJobs(accepted.map((claim, i) => ({ claim, jobId: result.jobIds[i]! })));
    store.release(
      folderId,
      fresh.filter((claim) => refused.has(claim.source)),
    );
  }

  async function queue(files: Hashed[]): Promise<void> {
    if (files.length === 0) return;
    const done = (): void => files.forEach((file) => taking.delete(file.source));
    let fresh: Claim[] = [];
    try {
      const key = deps.recipeKey(deps.patch);
      fresh = store.claim(
        folderId,
        files.map((file) => ({ ...file, recipeKey: key })),
      );
      done(); // claimed files are marked seen: from here on they are known
      if (fresh.length > 0) await enqueue(fresh);
      deps.changed();
    } catch (thrown) {
      // Nothing is lost: released files are taken again by the rescan that follows the retry.
      store.release(folderId, fresh);
      done();
      if (!signal.aborted) {
        await deps.trouble(
          `Files in ${deps.root().path} cannot be queued: ${toEngineError(thrown).message}`,
        );
      }
    }
  }

  function flush(): Promise<void> {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    const files = batch;
    batch = [];
    batchesInFlight++;
    flushing = flushing.then(() => queue(files)).finally(() => batchesInFlight--);
    return flushing;
  }

  return {
    offer(path, stamp) {
      // A rescan or a late event may report a file that is already being taken, or was taken.
      if (taking.has(path) || store.seen(folderId, path, stamp)) return;
      taking.add(path);
      void read(path, stamp);
    },
    get idle() {
      return taking.size === 0 && batchesInFlight === 0;
    },
    flush,
  };
}
