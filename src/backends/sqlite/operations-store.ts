/** The lease store, the run history and staff sessions over one connection to `<dataDir>/operations.sqlite`. */
import { openOperationsDb, type OperationsDb } from './operations-db';
import { SqliteRunHistory } from './sqlite-run-history';
import { SqliteLeaseStore, type SqliteLeaseStoreOptions } from './sqlite-lease-store';
import { SqliteSessionStore } from './sqlite-session-store';

export interface OperationsStore {
  db: OperationsDb;
  leases: SqliteLeaseStore;
  history: SqliteRunHistory;
  sessions: SqliteSessionStore;
  close(): void;
}

export function openOperationsStore(dataDir: string, options: SqliteLeaseStoreOptions = {}): OperationsStore {
  const db = openOperationsDb(dataDir);
  return {
    db,
    leases: new SqliteLeaseStore(db, options),
    history: new SqliteRunHistory(db),
    sessions: new SqliteSessionStore(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
