/**
 * The official client's bulk helper alone, on the same corpus and the same node as the portal's
 * ingest (search-bench.ts prints the ratio): the measure of what the portal adds to a load.
 *
 * The helper is given exactly the documents Corridor writes for the corpus, prepared beforehand
 * (validation, analysis and serialisation are not timed here: they are the portal's work), in an
 * index with the same settings and mappings, loaded the way Corridor builds (no refreshes, no
 * replicas), with the helper's default batch size and concurrency, and made searchable by one
 * refresh at the end. Elasticsearch does the same work on both sides.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Client } from '@elastic/elasticsearch';
import { encodeDocument, esId, type EncodedEsDocument } from '../src/backends/elasticsearch/document';
import { BUILDING_SETTINGS } from '../src/backends/elasticsearch/es-writer';
import { indexBody } from '../src/backends/elasticsearch/mappings';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import { prepareChunk, recordPreparer } from '../indexer/prepare';

export interface BareBulkFigures {
  documents: number;
  seconds: number;
}

/** Corridor's documents for the corpus, one `"<_id>"\t<document JSON>` line each. */
async function documentsFile(corpusFile: string, vocab: Vocabulary): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bare-bulk-')), 'documents.tsv');
  const out = fs.createWriteStream(file);
  const prepare = recordPreparer(vocab);
  const encode = (doc: Parameters<typeof encodeDocument>[0]) => encodeDocument(doc, vocab);
  let lines: string[] = [];
  const flush = async () => {
    const items = prepareChunk(prepare, { source: 'bench', records: lines, lines: new Uint8Array(lines.length).fill(1), keys: false }, encode);
    lines = [];
    let text = '';
    for (const item of items) {
      if (!item.ok || item.encoded === undefined) continue;
      text += `${JSON.stringify(esId(item.id))}\t${(item.encoded.payload as EncodedEsDocument).json}\n`;
    }
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const rl = readline.createInterface({ input: fs.createReadStream(corpusFile), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    lines.push(line);
    if (lines.length >= 1000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return file;
}

export async function bareBulkHelper(
  client: Client,
  index: string,
  corpusFile: string,
  vocab: Vocabulary,
  options: { shards: number; preload?: readonly string[] },
): Promise<BareBulkFigures> {
  const file = await documentsFile(corpusFile, vocab);
  // The same settings as the portal's generations, replicas aside (none on one node).
  const body = indexBody({ ...options, replicas: 0 });
  try {
    await client.indices.create({ index, settings: { ...body.settings, ...BUILDING_SETTINGS }, mappings: body.mappings });
    const started = performance.now();
    const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    const stats = await client.helpers.bulk<string>({
      datasource: rl[Symbol.asyncIterator](),
      onDocument: (line) => {
        const tab = line.indexOf('\t');
        return [{ index: { _index: index, _id: JSON.parse(line.slice(0, tab)) as string } }, line.slice(tab + 1)] as never;
      },
    });
    await client.indices.refresh({ index });
    const seconds = (performance.now() - started) / 1000;
    if (stats.failed > 0) throw new Error(`the bulk helper failed for ${stats.failed} documents`);
    return { documents: (await client.count({ index })).count, seconds };
  } finally {
    await client.indices.delete({ index, ignore_unavailable: true });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
