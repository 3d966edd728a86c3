/** The lease store and the run history over one connection to `<dataDir>/operations.sqlite`. */
import { openOperationsDb, type OperationsDb } from './operations-db';
import { SqliteRunHistory } from './sqlite-run-history';
import { SqliteLeaseStore, type SqliteLeaseStoreOptions } from './sqlite-lease-store';

export interface OperationsStore {
  db: OperationsDb;
  leases: SqliteLeaseStore;
  history: SqliteRunHistory;
  close(): void;
}

export function openOperationsStore(dataDir: string, options: SqliteLeaseStoreOptions = {}): OperationsStore {
  const db = openOperationsDb(dataDir);
  return {
    db,
    leases: new SqliteLeaseStore(db, options),
    history: new SqliteRunHistory(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
