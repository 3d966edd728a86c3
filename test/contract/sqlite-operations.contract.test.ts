/** The lease store and the run history of the embedded engine (operations.sqlite), against their contracts. */
import fs from 'node:fs';
import { SqliteLeaseStore } from '../../src/backends/sqlite/sqlite-lease-store';
import { SqliteRunHistory } from '../../src/backends/sqlite/sqlite-run-history';
import type { RunHistory } from '../../src/jobs/run-history';
import { tempDir } from '../jobs/helpers';
import { describeLeaseStoreContract } from './lease-store-contract';
import { describeRunHistoryContract } from './run-history-contract';

describeLeaseStoreContract('SQLite', async () => {
  const dir = tempDir();
  return {
    open: (now) => SqliteLeaseStore.open(dir, { now }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describeRunHistoryContract('SQLite', async () => {
  const dir = tempDir();
  const leases = SqliteLeaseStore.open(dir);
  const opened: RunHistory[] = [];
  return {
    open: () => {
      const history = SqliteRunHistory.open(dir);
      opened.push(history);
      return history;
    },
    leases,
    async cleanup() {
      for (const h of opened) await h.close();
      await leases.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
