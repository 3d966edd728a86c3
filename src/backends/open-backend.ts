/** Chooses the engine adapter named by configuration. The embedded SQLite engine is the default. */
import type { Config } from '../config';
import type { LeaseStore } from '../jobs/lease';
import type { RunHistory } from '../jobs/run-history';
import type { SessionStore } from '../jobs/session-store';
import type { IndexAdmin, SearchEngine } from '../search/ports';
import type { Vocabulary } from '../search/vocabulary/vocabulary';
import { openElasticsearchBackend } from './elasticsearch';
import { openSqliteBackend } from './sqlite';

/**
 * An engine with everything that lives with it: the search engine, the index admin, and the
 * stores of the job and staff layers' ports (the ingest lease, the run history, staff sessions),
 * so that every process using the same index shares the same lock, history and sessions.
 */
export interface Backend {
  engine: SearchEngine;
  admin: IndexAdmin;
  leases: LeaseStore;
  history: RunHistory;
  sessions: SessionStore;
  /** Closes the engine and the stores. */
  close(): Promise<void>;
}

/**
 * `vocab` labels the tags. `searchWorkers`: the web process answers searches of the embedded
 * engine on worker threads (config.searchWorkers); the CLI and the ingest process do not search.
 */
export function openBackend(config: Config, vocab: Vocabulary, options: { searchWorkers?: number } = {}): Backend {
  switch (config.engine) {
    case 'sqlite':
      return openSqliteBackend({ dataDir: config.dataDir, labels: vocab, searchWorkers: options.searchWorkers });
    case 'elasticsearch':
      return openElasticsearchBackend(config.elasticsearch, vocab);
  }
}
