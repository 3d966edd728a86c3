/**
 * Builds a new generation file beside the live one and swaps it in on commit (see
 * generations.ts). The live generation is never written to (only read, to carry records over),
 * so a crash or an abort at any point leaves searches answered exactly as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CommitRefusedError, type CommitOptions, type CommitResult, type IndexWriter, type WriterOptions } from '../../search/ports';
import { commitRefusal } from '../../search/commit-guard';
import { carriedDatestamp, contentHash, toDatestamp, type PreviousVersion } from '../../search/datestamp';
import type { TagLabels } from '../../search/fields';
import type { FacetName, ResourceDocument } from '../../search/types';
import { CompletionWriter } from './completion-index';
import { encodeValueIds, facetKey } from './facet-index';
import { writeFacetArrays } from './facet-arrays';
import { ftsColumns, facetValuesOf, suggestionWords } from './document-row';
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

/** The live generation's document versions, for datestamps; a full build reads them through ATTACH. */
type PreviousLookup = (id: string) => PreviousVersion | undefined;

/** Rows of the live file read at a time, when listing or carrying over a source's records. */
const LIVE_PAGE = 2000;

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
    this.completions = new CompletionWriter(db);
    const placeholders = FTS_COLUMNS.map(() => '?').join(', ');
    this.stmt = {
      rowidOf: db.prepare('SELECT rowid, body, content_hash, changed FROM docs WHERE id = ?'),
      insertDoc: db.prepare(
        'INSERT INTO docs (id, source, sort_date, year, facet_values, changed, content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateDoc: db.prepare(
        'UPDATE docs SET source = ?, sort_date = ?, year = ?, facet_values = ?, changed = ?, content_hash = ?, body = ? WHERE rowid = ?',
      ),
      liveVersion: this.attachedLive(db),
      deleteDoc: db.prepare('DELETE FROM docs WHERE rowid = ?'),
      insertFts: db.prepare(`INSERT INTO fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${placeholders})`),
      deleteFts: db.prepare('DELETE FROM fts WHERE rowid = ?'),
      insertValue: db.prepare('INSERT INTO facet_dictionary (value_id, facet, value) VALUES (?, ?, ?)'),
    };
  }

  /** Full builds: the live generation attached read-only, when it has datestamps to carry over. */
  private attachedLive(db: Database.Database): PreviousLookup | undefined {
    const hasLive = (db.prepare("SELECT count(*) AS n FROM pragma_database_list WHERE name = 'live'").get() as { n: number }).n > 0;
    if (!hasLive) return undefined;
    const stmt = db.prepare('SELECT content_hash AS hash, changed FROM live.docs WHERE id = ?');
    return (id) => {
      const row = stmt.get(id) as { hash: string; changed: string | null } | undefined;
      return row ? { hash: row.hash, changed: row.changed ?? undefined } : undefined;
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
    // The file is private to this build until commit: durability comes from the final fsync.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    if (!startFromLive) db.exec(GENERATION_DDL);
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

  private countWords(doc: ResourceDocument, delta: 1 | -1): void {
    for (const word of suggestionWords(doc)) {
      const n = (this.wordCounts.get(word) ?? 0) + delta;
      if (n > 0) this.wordCounts.set(word, n);
      else this.wordCounts.delete(word);
    }
  }

  /** Removes a stored document's FTS row and word counts; returns its rowid and version. */
  private forget(id: string): { rowid: number; version: PreviousVersion } | undefined {
    const row = this.stmt.rowidOf.get(id) as { rowid: number; body: string; content_hash: string; changed: string | null } | undefined;
    if (!row) return undefined;
    this.stmt.deleteFts.run(row.rowid);
    const old = JSON.parse(row.body) as ResourceDocument;
    this.countWords(old, -1);
    this.completions.removeDocument(row.rowid, old);
    return { rowid: row.rowid, version: { hash: row.content_hash, changed: row.changed ?? undefined } };
  }

  async write(documents: ResourceDocument[]): Promise<void> {
    const db = this.open;
    db.transaction(() => {
      for (const given of documents) {
        const { changed: _changed, ...doc } = given;
        void _changed;
        const ids = facetValuesOf(doc).map(([facet, value]) => this.valueId(facet, value));
        const blob = encodeValueIds(ids);
        const body = JSON.stringify(doc);
        const hash = contentHash(doc);
        const existing = this.forget(doc.id);
        // Incremental: the row being replaced is the live version (the file is a copy of it).
        const previous = this.incremental ? existing?.version : this.stmt.liveVersion?.(doc.id);
        const changed = carriedDatestamp(hash, previous, undefined) ?? null;
        let rowid: number | bigint;
        if (existing !== undefined) {
          this.stmt.updateDoc.run(doc.source ?? null, doc.published ?? null, doc.year ?? null, blob, changed, hash, body, existing.rowid);
          rowid = existing.rowid;
        } else {
          rowid = this.stmt.insertDoc.run(doc.id, doc.source ?? null, doc.published ?? null, doc.year ?? null, blob, changed, hash, body)
            .lastInsertRowid;
        }
        this.stmt.insertFts.run(rowid, ...ftsColumns(doc, this.labels));
        this.completions.addDocument(rowid, doc);
        this.countWords(doc, 1);
      }
    })();
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
      db.prepare('UPDATE docs SET changed = ? WHERE changed IS NULL').run(toDatestamp(new Date(builtAt)));
      db.exec('DELETE FROM words');
      const insertWord = db.prepare('INSERT INTO words (word, df) VALUES (?, ?)');
      for (const [word, df] of this.wordCounts) insertWord.run(word, df);
      const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      setMeta.run('schema_version', SCHEMA_VERSION);
      setMeta.run('built_at', builtAt);
      setMeta.run('run_id', options.runId);
      setMeta.run('generation', this.generation);
    })();
    // Merging FTS segments once here makes every later query cheaper.
    db.exec("INSERT INTO fts (fts) VALUES ('optimize')");
    db.exec('CREATE INDEX IF NOT EXISTS docs_sort_date ON docs (sort_date, rowid)');
    db.exec('CREATE INDEX IF NOT EXISTS docs_changed ON docs (changed, id)');
    // The in-memory arrays web processes search with, computed once here instead of at every open.
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
    if (this.stmt.liveVersion) db.exec('DETACH DATABASE live');
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.closeLive();
    if (this.db) this.detachLive(this.db);
    this.db?.close();
    fs.rmSync(this.file, { force: true });
  }
}
