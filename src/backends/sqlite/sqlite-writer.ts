/**
 * Builds a new generation file beside the live one and swaps it in on commit (see
 * generations.ts). The live generation is never written to (only read, to carry records over),
 * so a crash or an abort at any point leaves searches answered exactly as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CommitRefusedError,
  type CommitOptions,
  type CommitResult,
  type EncodedDocument,
  type EncodedWrites,
  type IndexWriter,
  type WriterOptions,
} from '../../search/ports';
import { commitRefusal } from '../../search/commit-guard';
import { carriedDatestamp, toDatestamp, type PreviousVersion } from '../../search/datestamp';
import type { TagLabels } from '../../search/fields';
import type { FacetName, ResourceDocument } from '../../search/types';
import { CompletionWriter, TITLE_WORDS } from './completion-index';
import { encodeValueIds, facetKey } from './facet-index';
import { writeFacetArrays } from './facet-arrays';
import { encodeDocument, rowFacetValues, rowFtsColumns, suggestionWords, type DocumentRow } from './document-row';
import {
  buildingFile,
  committedFile,
  indexDir,
  newGenerationName,
  readPointer,
  removeStaleGenerations,
  writePointer,
  type GenerationInfo,
} from './generations';
import { FTS_COLUMNS, GENERATION_DDL, SCHEMA_VERSION } from './schema';

function schemaVersion(file: string): string | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    return row?.value;
  } finally {
    db.close();
  }
}

/** An incremental run copies the live file, so it must have the layout this version writes. */
function assertSameSchema(file: string): void {
  const version = schemaVersion(file);
  if (version !== SCHEMA_VERSION) {
    throw new Error(
      `the live index was built by another version of Corridor (layout ${version ?? 'unknown'}, ` +
        `this version writes ${SCHEMA_VERSION}); run a full rebuild instead of an incremental one`,
    );
  }
}

/** Rows of the live file read at a time, when listing or carrying over a source's records. */
const LIVE_PAGE = 2000;

/**
 * Rows written per transaction. The file is private to the build (no journal, no sync), so a
 * transaction costs little beyond its commit, and FTS5 writes its pending terms as a segment at
 * every commit: fewer, larger commits mean fewer segments to merge.
 */
const ROWS_PER_TRANSACTION = 50_000;

/** The schema name of the build's staging file (see CompletionWriter). */
const STAGING = 'staging';

function stagingFile(buildFile: string): string {
  return `${buildFile}-staging`;
}

/** The document encoder, for threads that encode documents for this writer (EncodedWrites). */
const ENCODER_MODULE = require.resolve('./document-row');

/**
 * FTS5 settings while a generation is built: no incremental merging ('automerge' 0, and
 * 'crisismerge' high enough never to force one), and terms gathered in memory up to 'hashsize'
 * bytes before they are written as a segment. The one 'optimize' at commit then merges every
 * segment once, instead of merging them again and again as they accumulate.
 */
const FTS_BUILD_SETTINGS = { automerge: 0, crisismerge: 64, hashsize: 16 * 1024 * 1024 } as const;
/** FTS5's own defaults, which the committed file keeps. */
const FTS_DEFAULT_SETTINGS = { automerge: 4, crisismerge: 16, hashsize: 1024 * 1024 } as const;

/** The build's full-text tables: the documents' and the titles' words for completion. */
const FTS_TABLES = ['fts', TITLE_WORDS] as const;

function setFtsBuildSettings(db: Database.Database, settings: Record<'automerge' | 'crisismerge' | 'hashsize', number>): void {
  // FTS5 refuses these commands with bound parameters; names and values are constants of this file.
  for (const table of FTS_TABLES) {
    for (const [name, value] of Object.entries(settings)) db.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('${name}', ${Math.trunc(value)})`);
  }
}

export class SqliteIndexWriter implements IndexWriter {
  private db: Database.Database | undefined;
  private readonly inode: number;
  /** A read-only connection to the generation that was live at open, opened when first needed. */
  private liveDb: Database.Database | undefined;
  private readonly valueIds = new Map<string, number>();
  private readonly wordCounts = new Map<string, number>();
  private readonly stmt;
  private readonly completions: CompletionWriter;
  private finished = false;
  /** Rows written in the transaction that is open, if one is. */
  private uncommitted = 0;
  /** A full build that can carry datestamps over from the live generation (attached as `live`). */
  private readonly hasLive: boolean;
  readonly encoded: EncodedWrites = {
    module: ENCODER_MODULE,
    inThisThread: true,
    write: async (documents) => this.writeRows(documents),
  };

  private constructor(
    private readonly dataDir: string,
    private readonly generation: string,
    private readonly file: string,
    private readonly labels: TagLabels,
    private readonly onCommit: (info: GenerationInfo) => void,
    db: Database.Database,
    private readonly incremental: boolean,
    private readonly live: GenerationInfo | undefined,
  ) {
    this.db = db;
    this.inode = fs.statSync(file).ino;
    for (const [id, facet, value] of db.prepare('SELECT value_id, facet, value FROM facet_dictionary').raw().all() as [
      number,
      FacetName,
      string,
    ][]) {
      this.valueIds.set(facetKey(facet, value), id);
    }
    for (const [word, df] of db.prepare('SELECT word, df FROM words').raw().all() as [string, number][]) {
      this.wordCounts.set(word, df);
    }
    this.completions = new CompletionWriter(db, STAGING);
    const placeholders = FTS_COLUMNS.map(() => '?').join(', ');
    this.hasLive = !incremental && (db.prepare("SELECT count(*) AS n FROM pragma_database_list WHERE name = 'live'").get() as { n: number }).n > 0;
    this.stmt = {
      rowidOf: db.prepare('SELECT rowid, body, content_hash, changed FROM docs WHERE id = ?'),
      // A new id is inserted; an id already written is replaced (see writeRows).
      insertDoc: db.prepare(
        'INSERT INTO docs (id, source, sort_date, year, facet_values, changed, content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      ),
      updateDoc: db.prepare(
        'UPDATE docs SET source = ?, sort_date = ?, year = ?, facet_values = ?, changed = ?, content_hash = ?, body = ? WHERE rowid = ?',
      ),
      deleteDoc: db.prepare('DELETE FROM docs WHERE rowid = ?'),
      insertFts: db.prepare(`INSERT INTO fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${placeholders})`),
      deleteFts: db.prepare('DELETE FROM fts WHERE rowid = ?'),
      insertValue: db.prepare('INSERT INTO facet_dictionary (value_id, facet, value) VALUES (?, ?, ?)'),
    };
  }

  /** `buildsInProgress`: run ids that may be building a generation now (the lease holder's). */
  static open(
    dataDir: string,
    options: WriterOptions,
    labels: TagLabels,
    onCommit: (info: GenerationInfo) => void,
    buildsInProgress: readonly (string | undefined)[] = [],
  ): SqliteIndexWriter {
    fs.mkdirSync(indexDir(dataDir), { recursive: true });
    removeStaleGenerations(dataDir, buildsInProgress);
    const generation = newGenerationName();
    const file = buildingFile(dataDir, generation, options.runId);
    const live = readPointer(dataDir)?.current;
    const startFromLive = options.mode === 'incremental' && live !== undefined;
    if (startFromLive) {
      const liveFile = path.join(indexDir(dataDir), live.file);
      assertSameSchema(liveFile);
      fs.copyFileSync(liveFile, file);
    }
    const db = new Database(file);
    // The file is private to this build until commit: durability comes from the final fsync, and
    // a build that fails is removed, not rolled back. better-sqlite3's defensive mode silently
    // keeps a rollback journal when asked for none: it is lifted on this private connection.
    db.unsafeMode(true);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    // 32 MB of page cache: a larger one buys a build little (it mostly appends; 64 MB built 1M records
    // no faster) and costs memory.
    db.pragma('cache_size = -32768');
    db.pragma('temp_store = MEMORY');
    if (!startFromLive) db.exec(GENERATION_DDL);
    setFtsBuildSettings(db, FTS_BUILD_SETTINGS);
    // Private to the build, removed with it (see CompletionWriter; removeStaleGenerations takes
    // the file of a build that died).
    db.prepare(`ATTACH DATABASE ? AS ${STAGING}`).run(stagingFile(file));
    db.pragma(`${STAGING}.journal_mode = OFF`);
    db.pragma(`${STAGING}.synchronous = OFF`);
    if (!startFromLive && live !== undefined) {
      const liveFile = path.join(indexDir(dataDir), live.file);
      // Older layouts have no datestamps: their documents count as changed by this build.
      if (fs.existsSync(liveFile) && schemaVersion(liveFile) === SCHEMA_VERSION) {
        // Only read: the live generation is never written to.
        db.prepare('ATTACH DATABASE ? AS live').run(liveFile);
      }
    }
    return new SqliteIndexWriter(dataDir, generation, file, labels, onCommit, db, startFromLive, live);
  }

  private openLive(): Database.Database | undefined {
    if (this.live === undefined) return undefined;
    this.liveDb ??= new Database(path.join(indexDir(this.dataDir), this.live.file), { readonly: true, fileMustExist: true });
    return this.liveDb;
  }

  private closeLive(): void {
    this.liveDb?.close();
    this.liveDb = undefined;
  }

  /** The building file is still the one this writer created (a new run removes abandoned builds). */
  private stillOurs(): boolean {
    try {
      return fs.statSync(this.file).ino === this.inode;
    } catch {
      return false;
    }
  }

  private get open(): Database.Database {
    if (!this.db || this.finished) throw new Error('index writer is closed');
    return this.db;
  }

  private valueId(facet: FacetName, value: string): number {
    const key = facetKey(facet, value);
    let id = this.valueIds.get(key);
    if (id === undefined) {
      id = this.valueIds.size;
      this.valueIds.set(key, id);
      this.stmt.insertValue.run(id, facet, value);
      if (facet === 'publisher') this.completions.addPublisher(id, value);
    }
    return id;
  }

  private countWords(words: Iterable<string>, delta: 1 | -1): void {
    const counts = this.wordCounts;
    for (const word of words) {
      const n = (counts.get(word) ?? 0) + delta;
      if (n > 0) counts.set(word, n);
      else counts.delete(word);
    }
  }

  /** Removes a stored document's FTS row and word counts; returns its rowid and version. */
  private forget(id: string): { rowid: number; version: PreviousVersion } | undefined {
    const row = this.stmt.rowidOf.get(id) as { rowid: number; body: string; content_hash: string; changed: string | null } | undefined;
    if (!row) return undefined;
    this.stmt.deleteFts.run(row.rowid);
    const old = JSON.parse(row.body) as ResourceDocument;
    this.countWords(suggestionWords(old), -1);
    this.completions.removeTitle(row.rowid, old);
    return { rowid: row.rowid, version: { hash: row.content_hash, changed: row.changed ?? undefined } };
  }

  async write(documents: ResourceDocument[]): Promise<void> {
    this.writeRows(documents.map((doc) => encodeDocument(doc, this.labels)));
  }

  /** Opens the build's transaction when none is open; see ROWS_PER_TRANSACTION. */
  private begin(db: Database.Database): void {
    if (!db.inTransaction) {
      db.exec('BEGIN');
      this.uncommitted = 0;
    }
  }

  private commitOpenTransaction(db: Database.Database): void {
    if (db.inTransaction) db.exec('COMMIT');
    this.uncommitted = 0;
  }

  private writeRows(documents: EncodedDocument[]): void {
    const db = this.open;
    const { stmt } = this;
    this.begin(db);
    for (const { id, payload } of documents) {
      // Made by encodeDocument (this writer's encoder): the payload is a DocumentRow.
      const row = payload as DocumentRow;
      const ids: number[] = [];
      for (const [facet, value] of rowFacetValues(row)) ids.push(this.valueId(facet, value));
      const blob = encodeValueIds(ids);
      // A full build's datestamps are read from the live generation at commit, in one statement.
      let rowid: number | bigint;
      const inserted = stmt.insertDoc.run(id, row.source, row.sortDate, row.year, blob, null, row.hash, row.body);
      if (inserted.changes > 0) {
        rowid = inserted.lastInsertRowid;
      } else {
        // Written before (in this build, or the live version an incremental build started from).
        const existing = this.forget(id)!;
        // Incremental: the row being replaced is the live version (the file is a copy of it).
        const changed = this.incremental ? (carriedDatestamp(row.hash, existing.version, undefined) ?? null) : null;
        stmt.updateDoc.run(row.source, row.sortDate, row.year, blob, changed, row.hash, row.body, existing.rowid);
        rowid = existing.rowid;
      }
      stmt.insertFts.run(rowid, ...rowFtsColumns(row));
      this.completions.addTitle(rowid, row.titleKey);
      if (row.words !== '') this.countWords(row.words.split(' '), 1);
    }
    this.uncommitted += documents.length;
    if (this.uncommitted >= ROWS_PER_TRANSACTION) this.commitOpenTransaction(db);
  }

  async delete(ids: string[]): Promise<number> {
    const db = this.open;
    return db.transaction(() => {
      let deleted = 0;
      for (const id of ids) {
        const existing = this.forget(id);
        if (existing === undefined) continue;
        this.stmt.deleteDoc.run(existing.rowid);
        deleted++;
      }
      return deleted;
    })();
  }

  /** Pages of [rowid, id, body] of one source in the live file, in rowid order. */
  private *livePages(source: string, columns: 'id' | 'id, body'): Generator<{ rowid: number; id: string; body?: string }[]> {
    void this.open; // throws when the writer is closed
    const live = this.openLive();
    if (!live) return;
    // coalesce: "" stands for the documents without a source.
    const page = live.prepare(`SELECT rowid, ${columns} FROM docs WHERE coalesce(source, '') = ? AND rowid > ? ORDER BY rowid LIMIT ?`);
    for (let after = 0; ; ) {
      const rows = page.all(source, after, LIVE_PAGE) as { rowid: number; id: string; body?: string }[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.rowid;
    }
  }

  async *liveIds(source: string): AsyncIterable<string> {
    for (const rows of this.livePages(source, 'id')) for (const row of rows) yield row.id;
  }

  async liveSources(): Promise<Map<string, number>> {
    void this.open;
    const live = this.openLive();
    if (!live) return new Map();
    const rows = live.prepare("SELECT coalesce(source, '') AS source, count(*) AS n FROM docs GROUP BY 1").all() as { source: string; n: number }[];
    return new Map(rows.map((r) => [r.source, r.n]));
  }

  /**
   * Records are copied as they are stored, through write(): their content is unchanged, so they
   * keep their datestamps. They must have the layout this version writes.
   */
  async carryOver(source: string, except: ReadonlySet<string>): Promise<number> {
    void this.open;
    if (this.live === undefined) return 0;
    const version = schemaVersion(path.join(indexDir(this.dataDir), this.live.file));
    if (version !== SCHEMA_VERSION) {
      throw new Error(
        `the live index was built by another version of Corridor (layout ${version ?? 'unknown'}, this version writes ` +
          `${SCHEMA_VERSION}), so the records of ${source || 'documents without a source'} cannot be carried over from it; ` +
          'run a full rebuild in which every source can be read',
      );
    }
    let copied = 0;
    for (const rows of this.livePages(source, 'id, body')) {
      const documents = rows
        .filter((r) => !except.has(r.id) && this.stmt.rowidOf.get(r.id) === undefined)
        .map((r) => JSON.parse(r.body!) as ResourceDocument);
      if (documents.length === 0) continue;
      await this.write(documents);
      copied += documents.length;
    }
    return copied;
  }

  async commit(options: CommitOptions): Promise<CommitResult> {
    const db = this.open;
    if (!this.stillOurs()) {
      await this.abort();
      throw new Error('this build was removed as abandoned by a run that took over the ingest lock; nothing was committed');
    }
    this.commitOpenTransaction(db);
    const documents = (db.prepare('SELECT count(*) AS n FROM docs').get() as { n: number }).n;
    const pointer = readPointer(this.dataDir);
    const previousDocuments = pointer?.current.documents ?? 0;
    const refusal = commitRefusal(documents, previousDocuments, options.maxDropShare);
    if (refusal) {
      await this.abort();
      throw new CommitRefusedError(refusal, previousDocuments);
    }
    this.closeLive();
    const builtAt = new Date().toISOString();
    db.transaction(() => {
      if (this.hasLive) {
        // A document unchanged since the live generation keeps its datestamp: one join on the
        // live file's unique id index here, instead of one lookup per document while writing.
        db.exec(
          'UPDATE docs SET changed = live_doc.changed FROM live.docs AS live_doc ' +
            'WHERE live_doc.id = docs.id AND live_doc.content_hash = docs.content_hash AND docs.changed IS NULL',
        );
      }
      db.prepare('UPDATE docs SET changed = ? WHERE changed IS NULL').run(toDatestamp(new Date(builtAt)));
      db.exec('DELETE FROM words');
      const insertWord = db.prepare('INSERT INTO words (word, df) VALUES (?, ?)');
      for (const [word, df] of this.wordCounts) insertWord.run(word, df);
      // Written: the rest of the commit has better use for the memory (a few hundred thousand words at 1M).
      this.wordCounts.clear();
      const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      setMeta.run('schema_version', SCHEMA_VERSION);
      setMeta.run('built_at', builtAt);
      setMeta.run('run_id', options.runId);
      setMeta.run('generation', this.generation);
    })();
    // Sorted in temporary files, not in memory: a million keys at a million records. (SQLite's
    // sorter threads, `PRAGMA threads`, made it a quarter faster for 100 MB more memory.)
    db.pragma('temp_store = FILE');
    db.transaction(() => this.completions.commit())();
    db.exec(`DETACH DATABASE ${STAGING}`);
    fs.rmSync(stagingFile(this.file), { force: true });
    // Merging FTS segments once here makes every later query cheaper; a later incremental build
    // of this file merges as FTS5 does by default.
    setFtsBuildSettings(db, FTS_DEFAULT_SETTINGS);
    for (const table of FTS_TABLES) db.exec(`INSERT INTO ${table} (${table}) VALUES ('optimize')`);
    db.exec('CREATE INDEX IF NOT EXISTS docs_sort_date ON docs (sort_date, rowid)');
    db.exec('CREATE INDEX IF NOT EXISTS docs_changed ON docs (changed, id)');
    // The in-memory arrays web processes search with, computed once here instead of at every open.
    // The page cache the steps before filled is given back first: the arrays are the commit's peak.
    db.pragma('shrink_memory');
    writeFacetArrays(db);
    this.detachLive(db);
    db.pragma('journal_mode = DELETE');
    db.close();
    this.finished = true;

    const fd = fs.openSync(this.file, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const committed = committedFile(this.generation);
    fs.renameSync(this.file, path.join(indexDir(this.dataDir), committed));
    const info: GenerationInfo = { generation: this.generation, file: committed, builtAt, runId: options.runId, documents };
    writePointer(this.dataDir, { current: info, previous: pointer?.current });
    this.onCommit(info);
    return { documents, generation: this.generation, previousDocuments };
  }

  private detachLive(db: Database.Database): void {
    if (this.hasLive) db.exec('DETACH DATABASE live');
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.closeLive();
    // Closing detaches the live and staging files and drops the open transaction; the files are removed anyway.
    this.db?.close();
    fs.rmSync(this.file, { force: true });
    fs.rmSync(stagingFile(this.file), { force: true });
  }
}
