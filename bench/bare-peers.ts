/**
 * The bare engines Corridor is measured against, in the same run on the same corpus: what a
 * developer would write in an afternoon with no portal around it.
 *
 * - Bare FTS5, in process: one FTS5 table (title, keywords, abstract; porter unicode61), a docs
 *   table with type, publisher, language and year, a table of country codes; each query is a
 *   MATCH of the typed words, bm25 with the same column weights, highlight() and snippet() for
 *   the page, a count, and three GROUP BY facets (type, publisher, country) over the matches.
 * - Bare Elasticsearch: one client search on Corridor's own index — a multi_match of the typed
 *   words over the text fields, three terms aggregations, highlighting — no second request, no
 *   view models.
 *
 * Both read the same URL parameters as the portal (q, country, type, from, to, sort, page,
 * size), so each query of the mix can be run on both sides one after the other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import type { Client, estypes } from '@elastic/elasticsearch';
import { toWords } from '../src/search/vocabulary/text';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';

export interface Peer {
  readonly name: string;
  /** Answers one query of the mix (URL parameters); resolves to the number of matches. */
  search(params: URLSearchParams): Promise<number>;
  close(): Promise<void>;
}

interface BareQuery {
  words: string[];
  countries: string[];
  types: string[];
  from?: number;
  to?: number;
  sort: 'relevance' | 'newest' | 'oldest';
  page: number;
  size: number;
}

function readParams(params: URLSearchParams): BareQuery {
  // Only the words: exclusions and phrases are read as words, as a bare engine would.
  const words = toWords((params.get('q') ?? '').replace(/(^|\s)-/g, ' ')).slice(0, 16);
  const num = (k: string): number | undefined => (params.has(k) ? Number(params.get(k)) : undefined);
  const sort = (params.get('sort') as BareQuery['sort'] | null) ?? (words.length > 0 ? 'relevance' : 'newest');
  return {
    words,
    countries: params.getAll('country').map((c) => c.toUpperCase()),
    types: params.getAll('type'),
    from: num('from'),
    to: num('to'),
    sort,
    page: num('page') ?? 1,
    size: num('size') ?? 20,
  };
}

const quote = (w: string): string => `"${w.replace(/"/g, '""')}"`;

/** Builds the bare FTS5 database from the corpus file (records of the documented format). */
export async function openBareFts5(corpusFile: string, vocab: Vocabulary): Promise<Peer & { buildSeconds: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bare-'));
  const db = new Database(path.join(dir, 'bare.sqlite'));
  const started = performance.now();
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, type TEXT, publisher TEXT, language TEXT, year INTEGER);
    CREATE TABLE doc_countries (rowid INTEGER, country TEXT);
    CREATE VIRTUAL TABLE fts USING fts5(title, keywords, abstract, tokenize = 'porter unicode61 remove_diacritics 2');
  `);
  const insertDoc = db.prepare('INSERT INTO docs (rowid, id, type, publisher, language, year) VALUES (?, ?, ?, ?, ?, ?)');
  const insertCountry = db.prepare('INSERT INTO doc_countries (rowid, country) VALUES (?, ?)');
  const insertText = db.prepare('INSERT INTO fts (rowid, title, keywords, abstract) VALUES (?, ?, ?, ?)');
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v.split(';') : []);
  let rowid = 0;
  const batch: Record<string, unknown>[] = [];
  const flush = db.transaction((records: Record<string, unknown>[]) => {
    for (const r of records) {
      rowid++;
      const year = typeof r.published === 'string' ? Number(r.published.slice(0, 4)) || null : null;
      insertDoc.run(rowid, String(r.id), str(r.type), str(r.publisher), str(r.language), year);
      for (const c of list(r.countries)) {
        const code = vocab.resolveCountry(c);
        if (code) insertCountry.run(rowid, code);
      }
      insertText.run(rowid, str(r.title) ?? '', list(r.keywords).join('. '), str(r.abstract) ?? '');
    }
  });
  const rl = readline.createInterface({ input: fs.createReadStream(corpusFile), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    batch.push(JSON.parse(line) as Record<string, unknown>);
    if (batch.length >= 5000) flush(batch.splice(0));
  }
  flush(batch.splice(0));
  db.exec(`
    CREATE INDEX docs_year ON docs (year);
    CREATE INDEX docs_type ON docs (type);
    CREATE INDEX docs_publisher ON docs (publisher);
    CREATE INDEX doc_countries_country ON doc_countries (country, rowid);
    CREATE INDEX doc_countries_rowid ON doc_countries (rowid);
    INSERT INTO fts (fts) VALUES ('optimize');
  `);
  const buildSeconds = (performance.now() - started) / 1000;
  const weights = '10, 3, 1';

  function filterSql(q: BareQuery): { sql: string; args: unknown[] } {
    const parts: string[] = [];
    const args: unknown[] = [];
    if (q.countries.length > 0) {
      parts.push(`d.rowid IN (SELECT rowid FROM doc_countries WHERE country IN (${q.countries.map(() => '?').join(',')}))`);
      args.push(...q.countries);
    }
    if (q.types.length > 0) {
      parts.push(`d.type IN (${q.types.map(() => '?').join(',')})`);
      args.push(...q.types);
    }
    if (q.from !== undefined) {
      parts.push('d.year >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      parts.push('d.year <= ?');
      args.push(q.to);
    }
    return { sql: parts.length > 0 ? ` AND ${parts.join(' AND ')}` : '', args };
  }

  return {
    name: 'bare FTS5',
    buildSeconds,
    async search(params) {
      const q = readParams(params);
      const f = filterSql(q);
      const offset = (q.page - 1) * q.size;
      let total: number;
      let matchSql: string;
      let matchArgs: unknown[];
      if (q.words.length > 0) {
        const match = q.words.map(quote).join(' AND ');
        matchSql = `SELECT d.rowid FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?${f.sql}`;
        matchArgs = [match, ...f.args];
        total = (db.prepare(`SELECT count(*) FROM (${matchSql})`).pluck().get(...matchArgs) as number) ?? 0;
        const order = q.sort === 'relevance' ? 'score' : q.sort === 'newest' ? 'd.year DESC' : 'd.year ASC';
        const rows = db
          .prepare(`SELECT fts.rowid, bm25(fts, ${weights}) AS score FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?${f.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
          .raw()
          .all(match, ...f.args, q.size, offset) as [number, number][];
        const highlight = db.prepare(`SELECT highlight(fts, 0, '<b>', '</b>'), snippet(fts, 2, '<b>', '</b>', '…', 32) FROM fts WHERE fts MATCH ? AND rowid = ?`);
        for (const [r] of rows) highlight.get(match, r);
      } else {
        matchSql = `SELECT d.rowid FROM docs d WHERE 1${f.sql}`;
        matchArgs = f.args;
        total = db.prepare(`SELECT count(*) FROM (${matchSql})`).pluck().get(...matchArgs) as number;
        db.prepare(`SELECT d.rowid FROM docs d WHERE 1${f.sql} ORDER BY d.year ${q.sort === 'oldest' ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`).all(...f.args, q.size, offset);
      }
      // Browsing everything: plain GROUP BYs over the tables (index scans), as anyone would write them.
      const everything = q.words.length === 0 && f.args.length === 0;
      const within = everything ? '' : ` WHERE rowid IN (${matchSql})`;
      const args = everything ? [] : matchArgs;
      db.prepare(`SELECT type, count(*) c FROM docs${within} GROUP BY type ORDER BY c DESC LIMIT 50`).all(...args);
      db.prepare(`SELECT publisher, count(*) c FROM docs${within} GROUP BY publisher ORDER BY c DESC LIMIT 50`).all(...args);
      db.prepare(`SELECT country, count(*) c FROM doc_countries${within} GROUP BY country ORDER BY c DESC LIMIT 50`).all(...args);
      return total;
    },
    async close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bare client query on the live Corridor index of a prefix. */
export function bareElasticsearch(client: Client, index: string): Peer {
  return {
    name: 'bare Elasticsearch',
    async search(params) {
      const q = readParams(params);
      const filter: estypes.QueryDslQueryContainer[] = [];
      if (q.countries.length > 0) filter.push({ terms: { countries: q.countries } });
      if (q.types.length > 0) filter.push({ terms: { type: q.types } });
      if (q.from !== undefined || q.to !== undefined) filter.push({ range: { year: { gte: q.from, lte: q.to } } });
      const must: estypes.QueryDslQueryContainer[] =
        q.words.length > 0
          ? [{ multi_match: { query: q.words.join(' '), operator: 'and', fields: ['text.title^10', 'text.keywords^3', 'text.abstract'] } }]
          : [{ match_all: {} }];
      const response = await client.search({
        index,
        from: (q.page - 1) * q.size,
        size: q.size,
        track_total_hits: true,
        query: { bool: { must, filter } },
        sort: q.sort === 'relevance' && q.words.length > 0 ? undefined : [{ date: { order: q.sort === 'oldest' ? 'asc' : 'desc', missing: '_last', unmapped_type: 'date' } }],
        aggs: {
          type: { terms: { field: 'type', size: 50 } },
          publisher: { terms: { field: 'publishers', size: 50 } },
          country: { terms: { field: 'countries', size: 50 } },
        },
        highlight: q.words.length > 0 ? { fields: { 'text.title': { number_of_fragments: 0 }, 'text.abstract': { number_of_fragments: 1 } } } : undefined,
        _source: ['doc'],
      });
      const total = response.hits.total;
      return typeof total === 'number' ? total : (total?.value ?? 0);
    },
    async close() {},
  };
}
