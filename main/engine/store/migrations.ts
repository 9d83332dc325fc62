// The schema, as an append-only list of migrations: never edit one that has shipped, add another.
// Job state lives in `jobs` (owned by jobs-store.ts); `uploads` remembers what APIMart already
// holds so the same bytes are not uploaded twice within the URL's 72 h validity.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    source_hash TEXT,
    recipe TEXT NOT NULL,
    recipe_key TEXT NOT NULL,
    stage TEXT NOT NULL,
    resume_stage TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    prepared TEXT,
    report TEXT,
    upload_url TEXT,
    upload_expires_at INTEGER,
    submit_intended_at INTEGER,
    task_id TEXT,
    task_progress INTEGER,
    task_eta INTEGER,
    result_images TEXT,
    results TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    simulated INTEGER NOT NULL DEFAULT 0,
    timings TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX jobs_stage_seq ON jobs (stage, seq);
  CREATE INDEX jobs_dedupe ON jobs (source_hash, recipe_key);
  CREATE TABLE uploads (
    sha256 TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    base_url TEXT NOT NULL
  );
  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // Watched folders (owned by watch/watch-store.ts): the folders and their settings; the files
  // already looked at (path, size, mtime), so a restart rescans without rehashing; and the
  // processed ledger, content hash + recipe key → the job that took it, so nothing is done twice.
  `
  CREATE TABLE watch_folders (
    id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    primed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    last_event_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE watch_files (
    folder_id TEXT NOT NULL REFERENCES watch_folders (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    PRIMARY KEY (folder_id, path)
  );
  CREATE TABLE processed (
    sha256 TEXT NOT NULL,
    recipe_key TEXT NOT NULL,
    folder_id TEXT,
    source TEXT NOT NULL,
    job_id TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sha256, recipe_key)
  );
  CREATE INDEX processed_job ON processed (job_id);
  CREATE INDEX processed_folder ON processed (folder_id);
  `,
  `
  ALTER TABLE jobs ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN forced INTEGER NOT NULL DEFAULT 0;
  `,
  // Result files (owned by store/result-files.ts): one row per result of a task, naming its partial
  // download while it is fetched and the final path it reserved. The unique path is the durable
  // half of a reservation (the other half is the exclusive create on disk): two jobs, or one job
  // before and after a crash, are never handed the same file.
  `
  CREATE TABLE result_files (
    job_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    part TEXT,
    path TEXT UNIQUE,
    placed INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, task_id, idx)
  );
  `,
  // Files a watched folder passed over on purpose (a link, a pipe, one that never opened), with
  // the sentence saying why: the folder's skipped list. NULL for every file that was taken.
  `
  ALTER TABLE watch_files ADD COLUMN skip_reason TEXT;
  `,
  // A job's submission intent (jobs-store.ts): the Idempotency-Key, the exact request body sent
  // under it, and the path it took (answer lost, resent, replayed), as one JSON value. A retry of
  // an unknown outcome sends these bytes again, so APIMart can recognise the request.
  `
  ALTER TABLE jobs ADD COLUMN submission TEXT;
  `,
  // Money (engine/money/): what each task cost in micro-dollars, keyed by its task id so nothing
  // is counted twice (a crash, a poll repeated); the price learned per recipe shape (model,
  // resolution, size, n) with its source and date; the balance as read over time; and on a job,
  // the spending cap holding it (a sentence) and what its latest task cost.
  `
  CREATE TABLE spend (
    task_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    model TEXT NOT NULL,
    price_key TEXT NOT NULL,
    micros INTEGER,
    source TEXT NOT NULL,
    folder_id TEXT,
    batch_at INTEGER,
    at INTEGER NOT NULL
  );
  CREATE INDEX spend_at ON spend (at);
  CREATE TABLE prices (
    price_key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    resolution TEXT,
    size TEXT,
    n INTEGER NOT NULL,
    micros INTEGER NOT NULL,
    source TEXT NOT NULL,
    learned_at INTEGER NOT NULL
  );
  CREATE TABLE balance_history (
    at INTEGER NOT NULL,
    remaining REAL,
    used REAL,
    unlimited INTEGER NOT NULL
  );
  CREATE INDEX balance_history_at ON balance_history (at);
  ALTER TABLE jobs ADD COLUMN cap_hold TEXT;
  ALTER TABLE jobs ADD COLUMN cost_micros INTEGER;
  `,
];
