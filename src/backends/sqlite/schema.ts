/** DDL of one index generation. The FTS5 columns follow SEARCH_FIELDS, in order. */
import { SEARCH_FIELDS } from '../../search/fields';
import { COMPLETION_DDL } from './completion-index';

/** FTS5's tokenizer for every generation (tests that check what a MATCH finds use the same). */
export const FTS_TOKENIZER = 'porter unicode61 remove_diacritics 2';

export const FTS_COLUMNS = SEARCH_FIELDS.map((f) => f.name);
export const BM25_WEIGHTS = SEARCH_FIELDS.map((f) => f.boost);
/**
 * 4: datestamps (changed, content_hash). 5: groupings (blocs, processes) are a facet of their
 * own, no longer among the regions. 6: completion keys of titles and publishers
 * (completion-index.ts) and the corridor facet. 7: titles complete from inside through a
 * full-text table of their words instead of a key per word start.
 */
export const SCHEMA_VERSION = '7';
/**
 * The oldest layout this version can search: older generations (before datestamps) are rebuilt.
 * Layouts from this one to SCHEMA_VERSION are served as they are until the next full run.
 */
export const OLDEST_SERVED_LAYOUT = 4;

export const GENERATION_DDL = `
CREATE TABLE docs (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source TEXT,
  sort_date TEXT,
  year INTEGER,
  facet_values BLOB NOT NULL,
  -- body holds the document without its datestamp, which lives here (src/search/datestamp.ts):
  -- NULL while building means "changed in this build"; commit sets it to the commit time.
  changed TEXT,
  content_hash TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX docs_source ON docs (source);
CREATE TABLE facet_dictionary (
  value_id INTEGER PRIMARY KEY,
  facet TEXT NOT NULL,
  value TEXT NOT NULL,
  UNIQUE (facet, value)
);
CREATE TABLE words (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- porter over unicode61 with diacritics removed: "workers" finds "worker", "Cote" finds "Côte".
CREATE VIRTUAL TABLE fts USING fts5(${FTS_COLUMNS.join(', ')}, tokenize = '${FTS_TOKENIZER}');
${COMPLETION_DDL}`;
