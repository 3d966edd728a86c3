/** Chooses the engine adapter named by configuration. The embedded SQLite engine is the default. */
import type { Config } from '../config';
import type { TagLabels } from '../search/fields';
import type { IndexAdmin, SearchEngine } from '../search/ports';
import { openSqliteBackend } from './sqlite';

export interface Backend {
  engine: SearchEngine;
  admin: IndexAdmin;
}

export async function openBackend(config: Config, labels: TagLabels): Promise<Backend> {
  switch (config.engine) {
    case 'sqlite':
      return openSqliteBackend({ dataDir: config.dataDir, labels });
    case 'elasticsearch':
      throw new Error('the Elasticsearch engine is not available in this build; set CORRIDOR_ENGINE=sqlite');
  }
}
