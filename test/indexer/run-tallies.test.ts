/**
 * What a run reports about its records as a whole: fields named like Object's own properties
 * ("constructor", "__proto__", "prototype") counted as the unknown fields they are, and an id
 * given twice in one run reported with both places.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { fileInput } from '../../indexer/file-inputs';
import { runHarvest } from '../../indexer/harvest';
import { runIngest } from '../../indexer/ingest-job';
import { recordPreparer } from '../../indexer/prepare';
import { parseSourcesConfig } from '../../indexer/sources/config';
import { countFields, newFieldCounts } from '../../indexer/run-tallies';
import { tempDir } from '../jobs/helpers';

const vocab = loadVocabulary();
let dir: string;
let backend: SqliteBackend;
beforeEach(() => {
  dir = tempDir('corridor-tallies-');
  backend = openSqliteBackend({ dataDir: path.join(dir, 'data'), labels: vocab });
});
afterEach(async () => {
  await backend.engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const lines = (...records: object[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

it('counts fields named constructor, __proto__ and prototype like any unknown field', async () => {
  const file = path.join(dir, 'odd-fields.ndjson');
  // Written as text: JSON.parse makes "__proto__" an own property, as a record file would.
  fs.writeFileSync(
    file,
    '{"id":"o-1","title":"Odd fields one","constructor":"x","__proto__":"y","prototype":1}\n' +
      '{"id":"o-2","title":"Odd fields two","constructor":"z","toString":"t"}\n',
  );
  const summary = await runIngest({ inputs: [fileInput(file, 'odd-fields.ndjson')], admin: backend.admin, prepare: recordPreparer(vocab), maxRejectRate: 0, maxDropShare: 1 });
  expect({ ...summary.unknownFields }).toEqual({ constructor: 2, ['__proto__']: 1, prototype: 1, toString: 1 });
  const counts = newFieldCounts();
  countFields(counts, ['__proto__', '__proto__', 'hasOwnProperty']);
  expect(Object.entries(counts)).toEqual([['__proto__', 2], ['hasOwnProperty', 1]]);
});

it('reports an id given twice in one ingest with both places', async () => {
  const a = path.join(dir, 'a.ndjson');
  const b = path.join(dir, 'b.ndjson');
  fs.writeFileSync(a, lines({ id: 'dup-1', title: 'First copy' }, { id: 'other', title: 'Other' }, { id: 'dup-1', title: 'Second copy' }));
  fs.writeFileSync(b, lines({ id: 'dup-1', title: 'Third copy' }));
  const summary = await runIngest({
    inputs: [fileInput(a, 'a.ndjson'), fileInput(b, 'b.ndjson')],
    admin: backend.admin,
    prepare: recordPreparer(vocab),
    maxRejectRate: 0,
    maxDropShare: 1,
  });
  expect(summary.warnings).toEqual([
    expect.stringMatching(/^id "dup-1" appears twice in this run: at a\.ndjson:1 and again at a\.ndjson:3/),
    expect.stringMatching(/^id "dup-1" appears twice in this run: at a\.ndjson:1 and again at b\.ndjson:1/),
  ]);
});

it('reports an id a source gives twice in one harvest with both places', async () => {
  const folder = path.join(dir, 'src');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'one.ndjson'), lines({ id: 'h-1', title: 'Harvested once' }, { id: 'h-2', title: 'Another' }));
  fs.writeFileSync(path.join(folder, 'two.ndjson'), lines({ id: 'h-1', title: 'Harvested again' }));
  const sources = parseSourcesConfig({ sources: [{ id: 'local', kind: 'file', location: folder }] }, dir);
  const summary = await runHarvest({ sources, admin: backend.admin, prepare: recordPreparer(vocab), mode: 'full', maxRejectRate: 0, maxDropShare: 1 });
  expect(summary.warnings).toContainEqual(expect.stringMatching(/^local: id "local:h-1"|^local: id "h-1" appears twice in this run: at .*one\.ndjson:1 and again at .*two\.ndjson:1/));
});
