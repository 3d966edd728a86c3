/** The embedded engine: SearchEngine + IndexAdmin over SQLite FTS5 files in a data directory. */
import type { IndexAdmin, IndexWriter, SearchEngine, WriterOptions } from '../../search/ports';
import type { TagLabels } from '../../search/fields';
import { readPointer, writePointer } from './generations';
import { SqliteSearchEngine } from './sqlite-engine';
import { SqliteIndexWriter } from './sqlite-writer';

export interface SqliteBackend {
  engine: SearchEngine;
  admin: IndexAdmin;
}

export function openSqliteBackend(options: { dataDir: string; labels: TagLabels }): SqliteBackend {
  const engine = new SqliteSearchEngine(options.dataDir, options.labels);
  const admin: IndexAdmin = {
    async openWriter(writerOptions: WriterOptions): Promise<IndexWriter> {
      return SqliteIndexWriter.open(options.dataDir, writerOptions, options.labels, () => engine.refresh(true));
    },
    async rollback(): Promise<boolean> {
      const pointer = readPointer(options.dataDir);
      if (!pointer?.previous) return false;
      writePointer(options.dataDir, { current: pointer.previous, previous: pointer.current });
      engine.refresh(true);
      return true;
    },
  };
  return { engine, admin };
}

export { SqliteSearchEngine } from './sqlite-engine';
