/** Chooses the engine adapter named by configuration. The embedded SQLite engine is the default. */
import type { Config } from '../config';
import type { LeaseStore } from '../jobs/lease';
import type { SessionStore } from '../jobs/session-store';
import type { IndexAdmin, SearchEngine } from '../search/ports';
import type { Vocabulary } from '../search/vocabulary/vocabulary';
import { openElasticsearchBackend } from './elasticsearch';
import { openSqliteBackend } from './sqlite';

export interface Backend {
  engine: SearchEngine;
  admin: IndexAdmin;
  /**
   * A lease store that lives with the index, when the engine has one (Elasticsearch: shared by
   * every machine using the cluster). Without it, the data directory's SQLite store is the lock.
   */
  leases?: LeaseStore;
  /** Staff sessions kept with the engine when it has a place for them (Elasticsearch). */
  sessions?: SessionStore;
}

/** `vocab` labels the tags and, for Elasticsearch, generates the synonym rules. */
export async function openBackend(config: Config, vocab: Vocabulary): Promise<Backend> {
  const labels = vocab;
  switch (config.engine) {
    case 'sqlite':
      return openSqliteBackend({ dataDir: config.dataDir, labels });
    case 'elasticsearch':
      return openElasticsearchBackend(config.elasticsearch, vocab);
  }
}
