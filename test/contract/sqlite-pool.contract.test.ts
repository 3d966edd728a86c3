/** The embedded engine as the web process runs it: searches answered by worker threads sharing the arrays. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { describeEngineContract } from './engine-contract';

describeEngineContract('SQLite FTS5 with search workers', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-contract-pool-'));
  const backend = openSqliteBackend({ dataDir, labels: loadVocabulary(), searchWorkers: 2 });
  return {
    engine: backend.engine,
    admin: backend.admin,
    leases: backend.leases,
    async cleanup() {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
