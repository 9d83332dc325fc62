// Opens GenQueue's one SQLite file (node:sqlite, no native module to rebuild) in WAL mode and
// brings its schema up to date. Migrations are an append-only list: the schema_version table
// records how many have run, and each runs inside its own transaction. The file is its owner's
// only (SQLite gives its -wal and -shm the same mode); one that is not a database is moved aside.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { moveAside, movedAsideNotice, privateFile } from '../host/data-files.ts';
import { MIGRATIONS } from './migrations.ts';

export type Database = DatabaseSync;

/** SQLite's primary result codes for a file that is not (or no longer) a database. */
const NOT_A_DATABASE = new Set([11, 26]);
/** SQLITE_CANTOPEN: a WAL database in a folder that cannot be written (its -shm cannot be made). */
const CANNOT_OPEN = 14;

function sqliteCode(thrown: unknown): number | undefined {
  const code = (thrown as { errcode?: unknown } | undefined)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/** True for the error SQLite gives a file that is not a database (garbage, or damaged). */
export function isNotADatabase(thrown: unknown): boolean {
  return NOT_A_DATABASE.has(sqliteCode(thrown) ?? -1);
}

/**
 * Opens the database only to read it, without migrations, even where its folder cannot be
 * written (a read-only disk): then as an immutable file, which needs no -shm. Throws SQLite's
 * own error for a file that is not a database.
 */
export function openForReading(file: string): Database {
  const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
  try {
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (thrown) {
    db.close();
    if (sqliteCode(thrown) !== CANNOT_OPEN) throw thrown;
  }
  const immutable = pathToFileURL(file);
  immutable.searchParams.set('immutable', '1');
  return new DatabaseSync(immutable, { readOnly: true });
}

export function openDatabase(file: string): Database {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    privateFile(file, true);
  }
  const db = new DatabaseSync(file, { timeout: 5000 });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db);
  } catch (thrown) {
    db.close();
    throw thrown;
  }
  for (const side of ['-wal', '-shm']) privateFile(file + side);
  return db;
}

/**
 * openDatabase, except that a file that is not a database (garbage, or damaged past reading) is
 * moved aside with its -wal and -shm, and an empty one started; `notice` then says so.
 */
export function openOrRecover(file: string): { db: Database; notice?: string } {
  try {
    return { db: openDatabase(file) };
  } catch (thrown) {
    if (!isNotADatabase(thrown)) throw thrown;
  }
  const notice = moveDatabaseAside(file);
  return { db: openDatabase(file), notice };
}

/** Moves a database that cannot be read aside, with its -wal and -shm; returns the notice. */
export function moveDatabaseAside(file: string): string {
  const moved = moveAside(file);
  for (const side of ['-wal', '-shm']) if (existsSync(file + side)) moveAside(file + side);
  return movedAsideNotice(
    file,
    moved,
    'could not be read as a database (it is damaged)',
    'started an empty queue',
  );
}

export function schemaVersion(db: Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get();
  return Number(row?.version ?? 0);
}

function migrate(db: Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  for (let version = schemaVersion(db) + 1; version <= MIGRATIONS.length; version++) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
        version,
        Date.now(),
      );
    });
  }
}

/** Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back on throw. Not re-entrant. */
export function transaction<T>(db: Database, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
