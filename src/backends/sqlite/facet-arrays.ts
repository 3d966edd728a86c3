/**
 * The in-memory facet arrays and postings of a generation, computed once when it is built and
 * stored in it as blobs, so a web process opens a million documents by reading a few arrays
 * instead of walking every row (and search workers can share them: `shared` puts them in
 * SharedArrayBuffers). A generation without them (built by an earlier version) is read row by
 * row, as before.
 */
import type Database from 'better-sqlite3';
import { FACET_NAMES, type FacetName } from '../../search/types';
import { facetKey, MAX_YEAR, type FacetIndex } from './facet-index';
import { buildPostings, type Postings } from './postings';

const TABLE = 'facet_arrays';

type NumericArray = Uint8Array | Uint16Array | Uint32Array;

const ARRAYS = {
  present: Uint8Array,
  year: Uint16Array,
  dateRank: Uint32Array,
  byDate: Uint32Array,
  offsets: Uint32Array,
  values: Uint32Array,
  valueFacet: Uint8Array,
  postingOffsets: Uint32Array,
  postingRows: Uint32Array,
} as const;
type ArrayName = keyof typeof ARRAYS;

export interface GenerationArrays {
  facets: FacetIndex;
  postings: Postings;
}

/** Computes the arrays from the generation's tables, streaming the rows, and stores them in it. */
export function writeFacetArrays(db: Database.Database): void {
  const facets = buildFacetIndex(db);
  const postings = buildPostings(facets);
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, data BLOB NOT NULL)`);
  const put = db.prepare(`INSERT OR REPLACE INTO ${TABLE} (name, data) VALUES (?, ?)`);
  const arrays: Record<ArrayName, NumericArray> = {
    present: facets.present,
    year: facets.year,
    dateRank: facets.dateRank,
    byDate: facets.byDate,
    offsets: facets.offsets,
    values: facets.values,
    valueFacet: facets.valueFacet,
    postingOffsets: postings.offsets,
    postingRows: postings.rows,
  };
  db.transaction(() => {
    put.run('meta', Buffer.from(JSON.stringify({ size: facets.size, documents: facets.documents, datedCount: facets.datedCount })));
    for (const [name, array] of Object.entries(arrays)) put.run(name, Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  })();
}

/** The stored arrays, or undefined when the generation has none. */
export function readFacetArrays(db: Database.Database, options: { shared?: boolean } = {}): GenerationArrays | undefined {
  const exists = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(TABLE) as number;
  if (!exists) return undefined;
  const blobs = new Map<string, Buffer>();
  for (const [name, data] of db.prepare(`SELECT name, data FROM ${TABLE}`).raw().iterate() as Iterable<[string, Buffer]>) blobs.set(name, data);
  const metaBlob = blobs.get('meta');
  if (!metaBlob) return undefined;
  const meta = JSON.parse(metaBlob.toString('utf8')) as { size: number; documents: number; datedCount: number };
  const read = <N extends ArrayName>(name: N): InstanceType<(typeof ARRAYS)[N]> => {
    const blob = blobs.get(name);
    if (!blob) throw new Error(`${TABLE} lacks ${name}`);
    return toTyped(ARRAYS[name], blob, options.shared === true) as InstanceType<(typeof ARRAYS)[N]>;
  };
  const dictionary = readDictionary(db);
  const facets: FacetIndex = {
    size: meta.size,
    documents: meta.documents,
    datedCount: meta.datedCount,
    present: read('present'),
    year: read('year'),
    dateRank: read('dateRank'),
    byDate: read('byDate'),
    offsets: read('offsets'),
    values: read('values'),
    valueFacet: read('valueFacet'),
    valueName: dictionary.valueName,
    valueId: dictionary.valueId,
  };
  return { facets, postings: { offsets: read('postingOffsets'), rows: read('postingRows') } };
}

/** The arrays of a generation: stored, or computed from its rows when it was built without them. */
export function openFacetArrays(db: Database.Database, options: { shared?: boolean } = {}): GenerationArrays {
  const stored = readFacetArrays(db, options);
  if (stored) return stored;
  const facets = buildFacetIndex(db);
  const arrays = { facets, postings: buildPostings(facets) };
  return options.shared ? inSharedMemory(arrays) : arrays;
}

function shared<T extends NumericArray>(array: T): T {
  const memory = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(memory).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  // (See toTyped: the typings do not accept a SharedArrayBuffer; the constructors do.)
  return new (array.constructor as TypedConstructor)(memory as unknown as ArrayBuffer) as T;
}

function inSharedMemory({ facets, postings }: GenerationArrays): GenerationArrays {
  return {
    facets: {
      ...facets,
      present: shared(facets.present),
      year: shared(facets.year),
      dateRank: shared(facets.dateRank),
      byDate: shared(facets.byDate),
      offsets: shared(facets.offsets),
      values: shared(facets.values),
      valueFacet: shared(facets.valueFacet),
    },
    postings: { offsets: shared(postings.offsets), rows: shared(postings.rows) },
  };
}

type TypedConstructor = typeof Uint8Array | typeof Uint16Array | typeof Uint32Array;

/** A typed array over a blob's bytes: copied, into shared memory when asked, or when unaligned. */
function toTyped(Type: TypedConstructor, blob: Buffer, shared: boolean): NumericArray {
  const length = blob.byteLength / Type.BYTES_PER_ELEMENT;
  // (The constructors of the union do not accept ArrayBufferLike in their typings; every one of them does at run time.)
  if (!shared && blob.byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(blob.buffer as ArrayBuffer, blob.byteOffset, length);
  const memory = shared ? new SharedArrayBuffer(blob.byteLength) : new ArrayBuffer(blob.byteLength);
  new Uint8Array(memory).set(blob);
  return new Type(memory as ArrayBuffer, 0, length);
}

function readDictionary(db: Database.Database): { valueName: string[]; valueId: Map<string, number>; valueFacet: Uint8Array } {
  const valueName: string[] = [];
  const valueId = new Map<string, number>();
  const facetOf: number[] = [];
  for (const [id, facet, value] of db.prepare('SELECT value_id, facet, value FROM facet_dictionary').raw().iterate() as Iterable<
    [number, FacetName, string]
  >) {
    valueName[id] = value;
    valueId.set(facetKey(facet, value), id);
    facetOf[id] = FACET_NAMES.indexOf(facet);
  }
  // 255: no value has this id (a gap in the dictionary).
  const valueFacet = new Uint8Array(valueName.length).fill(255);
  facetOf.forEach((f, id) => (valueFacet[id] = f < 0 ? 255 : f));
  return { valueName, valueId, valueFacet };
}

/** Documents read at a time when the arrays are built. */
const FACET_PAGE = 8192;

/**
 * The facet arrays from the tables in two streaming passes (sizes, then values), without holding
 * a blob per row: what a build can afford at a million documents.
 */
function buildFacetIndex(db: Database.Database): FacetIndex {
  const { valueName, valueId, valueFacet } = readDictionary(db);
  const stats = db.prepare('SELECT coalesce(max(rowid), 0), count(*), coalesce(sum(length(facet_values)), 0) FROM docs').raw().get() as [number, number, number];
  const size = stats[0] + 1;
  const documents = stats[1];
  const present = new Uint8Array(size);
  const year = new Uint16Array(size);
  const offsets = new Uint32Array(size + 1);
  const values = new Uint32Array(stats[2] / 4);
  let at = 0;
  let last = -1;
  // A page of rows at a time, its value ids in one blob: a blob per row would be a million small
  // buffers outside the JavaScript heap, freed only when a collection gets to them (tens of MB at
  // the commit's peak).
  const rows = db.prepare('SELECT rowid, year, length(facet_values) FROM docs WHERE rowid > ? ORDER BY rowid LIMIT ?').raw();
  const blobs = db.prepare(
    "SELECT unhex(group_concat(hex(facet_values), '' ORDER BY rowid)) FROM docs WHERE rowid > ? AND rowid <= ?",
  ).pluck();
  for (;;) {
    const page = rows.all(last, FACET_PAGE) as [number, number | null, number][];
    if (page.length === 0) break;
    const ids = (blobs.get(last, page[page.length - 1]![0]) as Buffer | null) ?? Buffer.alloc(0);
    let read = 0;
    for (const [rowid, y, bytes] of page) {
      for (let r = last + 1; r <= rowid; r++) offsets[r] = at;
      last = rowid;
      present[rowid] = 1;
      year[rowid] = y && y > 0 && y < MAX_YEAR ? y : 0;
      for (const end = read + bytes; read + 4 <= end; read += 4) values[at++] = ids.readUInt32LE(read);
    }
  }
  for (let r = last + 1; r <= size; r++) offsets[r] = at;

  const dateRank = new Uint32Array(size);
  const byDate = new Uint32Array(documents);
  let rank = 0;
  for (const rowid of db.prepare('SELECT rowid FROM docs WHERE sort_date IS NOT NULL ORDER BY sort_date, rowid').pluck().iterate() as Iterable<number>) {
    byDate[rank] = rowid;
    dateRank[rowid] = ++rank;
  }
  const datedCount = rank;
  let next = rank;
  for (let r = 0; r < size; r++) if (present[r] && dateRank[r] === 0) byDate[next++] = r;
  return { size, present, documents, year, dateRank, byDate, datedCount, offsets, values, valueFacet, valueName, valueId };
}
