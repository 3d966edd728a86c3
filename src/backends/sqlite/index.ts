/**
 * The embedded engine: SearchEngine + IndexAdmin over SQLite FTS5 files in a data directory, and
 * the stores of the job and staff layers (lease, run history, staff sessions) in the same
 * directory's operations.sqlite.
 */
import { holderRunId, INGEST_LOCK, type LeaseStore } from '../../jobs/lease';
import type { RunHistory } from '../../jobs/run-history';
import type { SessionStore } from '../../jobs/session-store';
import type { IndexAdmin, IndexWriter, SearchEngine, WriterOptions } from '../../search/ports';
import type { TagLabels } from '../../search/fields';
import { readPointer, writePointer } from './generations';
import { openOperationsStore, type OperationsStore } from './operations-store';
import { SqliteSearchPool } from './search-pool';
import { SqliteSearchEngine } from './sqlite-engine';
import { SqliteIndexWriter } from './sqlite-writer';

export interface SqliteBackend {
  engine: SearchEngine & { refresh(force?: boolean): unknown };
  admin: IndexAdmin;
  leases: LeaseStore;
  history: RunHistory;
  sessions: SessionStore;
  close(): Promise<void>;
}

export function openSqliteBackend(options: { dataDir: string; labels: TagLabels; searchWorkers?: number }): SqliteBackend {
  const workers = options.searchWorkers ?? 0;
  const engine = workers > 0 ? new SqliteSearchPool(options.dataDir, options.labels, workers) : new SqliteSearchEngine(options.dataDir, options.labels);
  // operations.sqlite is opened when first used: a process that only searches never creates it.
  let store: OperationsStore | undefined;
  const operations = () => (store ??= openOperationsStore(options.dataDir));
  const admin: IndexAdmin = {
    async openWriter(writerOptions: WriterOptions): Promise<IndexWriter> {
      // The run holding the ingest lease may be building; any other unfinished build is an orphan.
      const holder = await operations().leases.current(INGEST_LOCK);
      return SqliteIndexWriter.open(options.dataDir, writerOptions, options.labels, () => engine.refresh(true), [holderRunId(holder?.holder)]);
    },
    async rollback(): Promise<boolean> {
      const pointer = readPointer(options.dataDir);
      if (!pointer?.previous) return false;
      writePointer(options.dataDir, { current: pointer.previous, previous: pointer.current });
      engine.refresh(true);
      return true;
    },
  };
  return {
    engine,
    admin,
    get leases() {
      return operations().leases;
    },
    get history() {
      return operations().history;
    },
    get sessions() {
      return operations().sessions;
    },
    async close() {
      store?.close();
      await engine.close();
    },
  };
}

export { SqliteSearchEngine } from './sqlite-engine';
export { SqliteSearchPool } from './search-pool';
