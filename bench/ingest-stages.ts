/**
 * npm run bench:ingest-stages [-- --records 100000]
 *
 * What each stage of an embedded-engine build costs per record, each measured alone in one thread
 * of this process, batch by batch as a run goes: reading a line and preparing the record
 * (parsing, validation, normalisation, analysis with the vocabulary), the writer's encoding of the
 * document, and the writer itself (SQLite: documents, full-text tables, completion keys, word
 * counts), then its commit. The writer alone is what no pipeline can beat however many threads
 * prepare records for it: a build is at best as fast as its one writing thread and its commit.
 * Figures only; nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openSqliteBackend } from '../src/backends/sqlite';
import { encodeDocument } from '../src/backends/sqlite/document-row';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { prepareRecord, recordPreparer } from '../indexer/prepare';
import { option } from './bench-main';
import { ensureCorpus } from './corpus';

const BATCH = 2000;

/** CPU time of this process (user + system) in microseconds: the stages run one at a time in this thread. */
function cpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function main(): Promise<void> {
  const records = Number(option('records') ?? 100_000);
  const vocab = loadVocabulary();
  const corpus = await ensureCorpus(records);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-stages-'));
  const backend = openSqliteBackend({ dataDir, labels: vocab, searchWorkers: 0 });
  const prepare = recordPreparer(vocab);
  const spent = { prepare: 0, encode: 0, write: 0, commit: 0 };
  let written = 0;
  try {
    const writer = await backend.admin.openWriter({ mode: 'full', runId: 'bench-stages' });
    const encoded = writer.encoded;
    if (!encoded) throw new Error('the embedded writer no longer encodes apart: this benchmark needs its encoder');
    const started = performance.now();
    // Timed a batch at a time: the clock is read a few times per batch, not per record.
    let lines: string[] = [];
    const runBatch = async (): Promise<void> => {
      const t0 = cpu();
      const documents = lines.map((line) => prepareRecord(prepare, line, 'bench', { keys: false }, {})).flatMap((item) => (item.ok && item.document ? [item.document] : []));
      const t1 = cpu();
      const batch = documents.map((document) => encodeDocument(document, vocab));
      const t2 = cpu();
      await encoded.write(batch);
      spent.write += cpu() - t2;
      spent.encode += t2 - t1;
      spent.prepare += t1 - t0;
      written += batch.length;
      lines = [];
    };
    for await (const line of readline.createInterface({ input: fs.createReadStream(corpus.file), crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length >= BATCH) await runBatch();
    }
    await runBatch();
    const t = cpu();
    await writer.commit({ runId: 'bench-stages', maxDropShare: 1 });
    spent.commit = cpu() - t;
    const seconds = (performance.now() - started) / 1000;

    const perRecord = (us: number): string => `${(us / written).toFixed(1)} µs/record`;
    const rate = (us: number): string => `${Math.round(written / (us / 1e6)).toLocaleString('en')} records/s`;
    console.log(`${written.toLocaleString('en')} records, ${os.availableParallelism()} cores, Node ${process.version}; all stages in this one thread: ${seconds.toFixed(1)} s`);
    console.log(`  prepare (parse, validate, normalise, analyse): ${perRecord(spent.prepare)}`);
    console.log(`  writer's encoding (JSON, hash, full-text columns, words): ${perRecord(spent.encode)}`);
    console.log(`  writer, writing: ${perRecord(spent.write)}`);
    console.log(`  writer, commit: ${(spent.commit / 1e6).toFixed(1)} s`);
    console.log(`writer alone (writing + commit): ${rate(spent.write + spent.commit)}, the most any pipeline can build at on this machine`);
    console.log(`every stage on one core (reading the file aside): ${rate(spent.prepare + spent.encode + spent.write + spent.commit)}`);
  } finally {
    await backend.close?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
