/**
 * What a run reports about its records as a whole: fields named like Object's own properties
 * ("constructor", "__proto__", "prototype") counted as the unknown fields they are, and an id
 * given twice in one run reported with both places.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { fileSourceConfig } from '../../indexer/file-inputs';
import { runIngest } from '../../indexer/pipeline';
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
  await backend.close();
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
  const summary = await runIngest({ sources: [fileSourceConfig(file, 'odd-fields.ndjson')], admin: backend.admin, prepare: recordPreparer(vocab), mode: 'full', maxRejectRate: 0, maxDropShare: 1 });
  expect(summary.notes).toContain('Ignored unknown fields: constructor (2 records), __proto__ (1 records), prototype (1 records), toString (1 records)');
  const counts = newFieldCounts();
  countFields(counts, ['__proto__', '__proto__', 'hasOwnProperty']);
  expect(Object.entries(counts)).toEqual([['__proto__', 2], ['hasOwnProperty', 1]]);
});

it('reports an id given twice by one input with both places; across inputs, the first input keeps it (a merged duplicate)', async () => {
  const a = path.join(dir, 'a.ndjson');
  const b = path.join(dir, 'b.ndjson');
  fs.writeFileSync(a, lines({ id: 'dup-1', title: 'First copy' }, { id: 'other', title: 'Other' }, { id: 'dup-1', title: 'Second copy' }));
  fs.writeFileSync(b, lines({ id: 'dup-1', title: 'Third copy' }));
  const summary = await runIngest({
    sources: [fileSourceConfig(a, 'a.ndjson'), fileSourceConfig(b, 'b.ndjson')],
    admin: backend.admin,
    prepare: recordPreparer(vocab),
    mode: 'full',
    maxRejectRate: 0,
    maxDropShare: 1,
  });
  expect(summary.notes).toEqual([
    'Merged duplicate b.ndjson:dup-1 into a.ndjson:dup-1 (id)',
    expect.stringMatching(/^a\.ndjson: id "dup-1" appears twice in this run: at .*a\.ndjson:1 and again at .*a\.ndjson:3; the second record replaced the first$/),
  ]);
  expect((await backend.engine.get('dup-1'))?.title).toBe('Second copy');
});

it('reports an id a source gives twice in one harvest with both places', async () => {
  const folder = path.join(dir, 'src');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'one.ndjson'), lines({ id: 'h-1', title: 'Harvested once' }, { id: 'h-2', title: 'Another' }));
  fs.writeFileSync(path.join(folder, 'two.ndjson'), lines({ id: 'h-1', title: 'Harvested again' }));
  const sources = parseSourcesConfig({ sources: [{ id: 'local', kind: 'file', location: folder }] }, dir);
  const summary = await runIngest({ sources, admin: backend.admin, prepare: recordPreparer(vocab), mode: 'full', maxRejectRate: 0, maxDropShare: 1 });
  expect(summary.notes).toContainEqual(expect.stringMatching(/^local: id "local:h-1"|^local: id "h-1" appears twice in this run: at .*one\.ndjson:1 and again at .*two\.ndjson:1/));
});
