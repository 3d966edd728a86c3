/** A fresh embedded engine in a temporary data directory, for the contract suite. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import type { EngineUnderTest } from './engine-contract';

export function sqliteUnderTest(options: { searchWorkers?: number } = {}): () => Promise<EngineUnderTest> {
  return async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-contract-'));
    const backend = openSqliteBackend({ dataDir, labels: loadVocabulary(), searchWorkers: options.searchWorkers });
    return {
      engine: backend.engine,
      admin: backend.admin,
      leases: backend.leases,
      async cleanup() {
        await backend.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
}
