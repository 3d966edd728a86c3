/**
 * `npm run corridor -- export [file]`: the live index as NDJSON in the documented record format
 * (docs/record-format.md), so that `npm run ingest -- <file>` rebuilds the same library on
 * another engine (for example from the embedded engine to Elasticsearch: docs/elasticsearch.md).
 *
 * Tags are exported as the source gave them (`tagging.*.given`), not with the ones the analysers
 * found: ingesting the file analyses the text again with the same vocabulary, so the found tags
 * come back, still marked as found. The record's source id is not part of the record format;
 * the ingest gives the file's records the file's name as source.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { SearchEngine } from '../src/search/ports';
import { FACET_NAMES, type FacetFilters, type ResourceDocument } from '../src/search/types';

/** One record of the documented format; empty fields are left out. */
export function toRecord(doc: ResourceDocument): Record<string, unknown> {
  const record: Record<string, unknown> = { id: doc.id, title: doc.title };
  const optional: [string, unknown][] = [
    ['abstract', doc.abstract],
    ['url', doc.url],
    ['doi', doc.doi],
    ['publisher', doc.publisher],
    ['authors', doc.authors],
    ['published', doc.published ?? (doc.year !== undefined ? String(doc.year) : undefined)],
    ['type', doc.type],
    ['language', doc.languages],
    ['countries', doc.tagging?.countries.given ?? doc.countries],
    ['regions', doc.tagging?.regions.given ?? [...doc.regions, ...(doc.groupings ?? [])]],
    ['themes', doc.tagging?.themes.given ?? doc.themes],
    ['keywords', doc.keywords],
  ];
  for (const [key, value] of optional) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    record[key] = value;
  }
  return record;
}

const EXPORT_PAGE = 1000;

/**
 * Every document of the live index: the engine's own export when it has one (one consistent
 * snapshot), otherwise newest-first pages of search(), checked at the end to be from a single
 * generation (a rebuild committed in between would make pages overlap or miss documents).
 */
export async function* engineDocuments(engine: SearchEngine): AsyncIterable<ResourceDocument> {
  if (engine.exportDocuments) {
    yield* engine.exportDocuments();
    return;
  }
  const before = await engine.status();
  const filters = Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as FacetFilters;
  for (let page = 1; ; page++) {
    const result = await engine.search({
      query: { text: '', filters, sort: 'newest', page, size: EXPORT_PAGE },
      analysed: { clauses: [], proximityWords: [] },
    });
    for (const hit of result.hits) yield hit.document;
    if (result.hits.length < EXPORT_PAGE) break;
  }
  const after = await engine.status();
  if (after.generation !== before.generation) {
    throw new Error('a new index generation was committed during the export; run the export again');
  }
}

/** Writes the documents as NDJSON records; resolves with how many were written. */
export async function writeNdjson(documents: AsyncIterable<ResourceDocument>, out: Writable): Promise<number> {
  let count = 0;
  for await (const doc of documents) {
    // A reader that went away (`… | head`) ends the export, quietly.
    if (out.destroyed) break;
    // Respect back-pressure: a million records must not pile up in memory.
    if (!out.write(`${JSON.stringify(toRecord(doc))}\n`)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    count++;
  }
  return count;
}

/**
 * The CLI command: to `file` (written to a temporary name and renamed when complete, so a
 * failed export never leaves a truncated file that looks whole), or to stdout without one.
 */
export async function exportCommand(engine: SearchEngine, file: string | undefined, stdout: Writable = process.stdout): Promise<number> {
  if (!file) {
    // Left attached: the pipe's error can arrive after the last write returned.
    stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      stdout.destroy();
    });
    return writeNdjson(engineDocuments(engine), stdout);
  }
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  try {
    const count = await writeNdjson(engineDocuments(engine), out);
    out.end();
    await once(out, 'finish');
    fs.renameSync(partial, file);
    return count;
  } catch (err) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
}
