/**
 * `<dataDir>/operations.sqlite`: the embedded engine's stores for the job layer's ports (the
 * ingest lease and the run history, src/jobs), shared by the web process and the CLI. It is
 * separate from the search index on purpose: the index is rebuilt and swapped as a whole, while
 * the operations file is small, long-lived and written by several processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type OperationsDb = Database.Database;

export const OPERATIONS_FILE = 'operations.sqlite';

/** Bumped with each schema change; migrations below run in order from the file's version. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    renewed_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  );
  CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    trigger          TEXT NOT NULL,
    mode             TEXT NOT NULL,
    holder           TEXT NOT NULL,
    started_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    duration_ms      INTEGER,
    outcome          TEXT NOT NULL,
    read             INTEGER NOT NULL DEFAULT 0,
    indexed          INTEGER NOT NULL DEFAULT 0,
    rejected         INTEGER NOT NULL DEFAULT 0,
    deleted          INTEGER NOT NULL DEFAULT 0,
    duplicates       INTEGER NOT NULL DEFAULT 0,
    documents        INTEGER,
    rejections_total INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    notes_json       TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX runs_by_start ON runs (started_at DESC);
  CREATE INDEX runs_by_outcome ON runs (outcome);
  CREATE TABLE run_sources (
    run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    source   TEXT NOT NULL,
    kind     TEXT,
    state    TEXT NOT NULL,
    read     INTEGER NOT NULL DEFAULT 0,
    indexed  INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    error    TEXT,
    PRIMARY KEY (run_id, source)
  );
  CREATE INDEX run_sources_by_source ON run_sources (source);
  CREATE TABLE run_rejections (
    run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    source    TEXT NOT NULL,
    position  INTEGER,
    record_id TEXT,
    location  TEXT,
    reason    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  `,
  // One summary type for every run (issue 11): records kept from the live index, tags found by
  // the analysers, and the per-source details a harvest reports.
  `
  ALTER TABLE runs ADD COLUMN carried INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN tagged_json TEXT;
  ALTER TABLE run_sources ADD COLUMN label TEXT;
  ALTER TABLE run_sources ADD COLUMN carried INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE run_sources ADD COLUMN duration_ms INTEGER;
  ALTER TABLE run_sources ADD COLUMN since TEXT;
  ALTER TABLE run_sources ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0;
  `,
];

export function openOperationsDb(dataDir: string): OperationsDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, OPERATIONS_FILE));
  // WAL: the web process reads history while a CLI run writes progress, without blocking.
  db.pragma('journal_mode = WAL');
  // Another process may hold the write lock for a moment; wait for it instead of failing.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

function migrate(db: OperationsDb): void {
  // IMMEDIATE takes the write lock first, so two processes starting together migrate once.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    if (version < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
