/**
 * Reading files an operator cannot fully trust: folders with symbolic-link loops, named pipes and
 * other special files, lines with no end, damaged gzip, files in Latin-1 or Windows-1252, bytes
 * that are not UTF-8, and CSV headers that name a column twice.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputPathError, listInputFiles } from '../../indexer/file-inputs';
import { readInputFile, readInputStream, type InputItem } from '../../indexer/records/parse-input';
import { fileSource } from '../../indexer/sources/file-source';
import { parseSourcesConfig, type FileSourceConfig } from '../../indexer/sources/config';
import type { SourceItem } from '../../indexer/sources/types';
import { tempDir } from '../jobs/helpers';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const record = (id: string, title = `Title ${id}`) => `${JSON.stringify({ id, title })}\n`;

let dir: string;
beforeEach(() => {
  dir = tempDir('corridor-files-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function fileConfig(location: string, extra: Record<string, unknown> = {}): FileSourceConfig {
  const [config] = parseSourcesConfig({ sources: [{ id: 'local', kind: 'file', location, ...extra }] }, dir);
  return config as FileSourceConfig;
}

describe('listing a folder', () => {
  it('follows each real directory once, whatever symbolic-link loops the folder holds', async () => {
    write('library/a/one.ndjson', record('one'));
    write('library/b/two.ndjson', record('two'));
    fs.symlinkSync('..', path.join(dir, 'library/a/up')); // a loop back to the folder itself
    fs.symlinkSync(path.join(dir, 'library/b'), path.join(dir, 'library/a/b-again')); // the same directory twice
    fs.symlinkSync(path.join(dir, 'library/a/loop-2'), path.join(dir, 'library/a/loop-1')); // a link to a link to itself
    fs.symlinkSync(path.join(dir, 'library/a/loop-1'), path.join(dir, 'library/a/loop-2'));
    fs.symlinkSync(path.join(dir, 'library/b/two.ndjson'), path.join(dir, 'library/a/two-link.ndjson')); // the same file twice
    const files = await listInputFiles([path.join(dir, 'library')]);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['library/a/one.ndjson', 'library/b/two.ndjson']);
  });

  it('stops at a stated maximum number of files and depth, saying which limit was reached', async () => {
    for (let i = 0; i < 5; i++) write(`many/f${i}.ndjson`, record(`f${i}`));
    await expect(listInputFiles([path.join(dir, 'many')], { maxFiles: 3 })).rejects.toThrow(
      /more than 3 record files under .*many \(the limit\)/,
    );
    write('deep/1/2/3/4/5/deep.ndjson', record('deep'));
    await expect(listInputFiles([path.join(dir, 'deep')], { maxDepth: 3 })).rejects.toThrow(/folders nested deeper than 3 levels/);
    expect(await listInputFiles([path.join(dir, 'deep')], { maxDepth: 10 })).toHaveLength(1);
  });

  it('refuses a named pipe (or other special file) with a clear message instead of waiting on it for ever', async () => {
    write('piped/ok.ndjson', record('ok'));
    execFileSync('mkfifo', [path.join(dir, 'piped/incoming.ndjson')]);
    const listing = listInputFiles([path.join(dir, 'piped')]);
    await expect(listing).rejects.toBeInstanceOf(InputPathError);
    await expect(listing).rejects.toThrow(/incoming\.ndjson is a named pipe \(FIFO\), not a regular file/);
    await expect(listInputFiles([path.join(dir, 'piped/incoming.ndjson')])).rejects.toThrow(/named pipe/);
    // Read directly (a source whose location names it), it is refused at once too.
    await expect(collect(readInputFile(path.join(dir, 'piped/incoming.ndjson')))).rejects.toThrow(/named pipe \(FIFO\), not a regular file/);
    await expect(collect(readInputFile('/dev/zero', { format: 'ndjson' }))).rejects.toThrow(/\/dev\/zero is a character device, not a regular file/);
  });

  it('a file source over a looping folder fails with the limit named, or reads each file once', async () => {
    write('src/x.ndjson', record('x'));
    fs.symlinkSync('.', path.join(dir, 'src/self'));
    const items = await collect(fileSource(fileConfig('src')).harvest({}));
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(1);
  });
});

describe('limits while reading', () => {
  it('rejects an NDJSON line longer than the maximum with its line number, and goes on reading', async () => {
    const file = write('long.ndjson', `${record('a')}${JSON.stringify({ id: 'b', title: 'x'.repeat(5000) })}\n${record('c')}`);
    const items = await collect(readInputFile(file, { source: 'long.ndjson', maxRecordBytes: 1000 }));
    expect(items.map((i) => [i.kind, i.position])).toEqual([
      ['record', 1],
      ['error', 2],
      ['record', 3],
    ]);
    expect(items[1]).toMatchObject({ kind: 'error', error: expect.stringMatching(/^line longer than the limit of 1000 bytes/) });
  });

  it('reads a newline-free input of any size in bounded memory, rejecting it as one over-long line', async () => {
    const chunk = Buffer.alloc(1 << 20, 'x');
    let sent = 0;
    const endless = async function* () {
      // 64 MiB without a newline: today's reader holds it all in one string.
      for (; sent < 64; sent++) yield chunk;
      yield Buffer.from(`\n${record('after')}`);
    };
    const before = process.memoryUsage().rss;
    const items = await collect(readInputStream(endless(), 'ndjson', 'stream', { maxRecordBytes: 1 << 20 }));
    expect(items.map((i) => [i.kind, i.position])).toEqual([
      ['error', 1],
      ['record', 2],
    ]);
    // Memory is not a timing: a reader that buffers the line grows by 64+ MiB (twice, as UTF-16).
    expect(process.memoryUsage().rss - before).toBeLessThan(48 << 20);
  });

  it('rejects a CSV record longer than the maximum with its line, and goes on', async () => {
    const file = write('long.csv', `id,title\na,First\nb,"${'y'.repeat(3000)}"\nc,Third\n`);
    const items = await collect(readInputFile(file, { source: 'long.csv', maxRecordBytes: 1000 }));
    expect(items.map((i) => [i.kind, i.position])).toEqual([
      ['record', 2],
      ['error', 3],
      ['record', 4],
    ]);
    expect(items[1]).toMatchObject({ error: expect.stringMatching(/longer than the limit of 1000 bytes/) });
  });

  it('names the file when a gzip file is damaged or truncated', async () => {
    const whole = gzipSync(Buffer.from(record('a').repeat(2000)));
    const truncated = write('cut.ndjson.gz', whole.subarray(0, whole.length - 40));
    const garbage = write('fake.ndjson.gz', 'this is not gzip at all\n');
    await expect(collect(readInputFile(truncated, { source: 'data/cut.ndjson.gz' }))).rejects.toThrow(
      /^data\/cut\.ndjson\.gz: the gzip data is truncated/,
    );
    await expect(collect(readInputFile(garbage, { source: 'data/fake.ndjson.gz' }))).rejects.toThrow(
      /^data\/fake\.ndjson\.gz: not a valid gzip file/,
    );
  });
});

describe('encodings', () => {
  const latin1Csv = Buffer.from('id,title,publisher\nl-1,Travailleurs migrants à Genève,Confédération\n', 'latin1');
  // 0x93/0x94 are curly quotes in Windows-1252, C1 controls in ISO-8859-1 proper.
  const cp1252Ndjson = Buffer.concat([
    Buffer.from('{"id":"w-1","title":"'),
    Buffer.from([0x93]),
    Buffer.from('Kafala'),
    Buffer.from([0x94]),
    Buffer.from(' reform '),
    Buffer.from([0x96]),
    Buffer.from(' caf'),
    Buffer.from([0xe9]),
    Buffer.from('"}\n'),
  ]);

  it('reads Latin-1 and Windows-1252 files when the source config declares the encoding', async () => {
    write('latin/records.csv', latin1Csv);
    write('cp/records.ndjson', cp1252Ndjson);
    const latin = await collect(fileSource(fileConfig('latin', { encoding: 'latin1' })).harvest({}));
    expect(latin).toContainEqual(expect.objectContaining({ kind: 'record', raw: expect.objectContaining({ title: 'Travailleurs migrants à Genève', publisher: 'Confédération' }) }));
    const cp = await collect(fileSource(fileConfig('cp', { encoding: 'windows-1252' })).harvest({}));
    expect(cp).toContainEqual(expect.objectContaining({ kind: 'record', raw: { id: 'w-1', title: '“Kafala” reform – café' } }));
    expect(cp.filter((i) => i.kind === 'warning')).toEqual([]);
  });

  it('refuses an encoding it does not know, naming the source and the field', () => {
    expect(() => fileConfig('x', { encoding: 'klingon' })).toThrow(/sources\[0\] \(local\): encoding/);
  });

  it('warns, with the file and line numbers, when bytes that are not UTF-8 had to be replaced', async () => {
    write('bad/records.ndjson', Buffer.concat([Buffer.from(record('ok-1')), cp1252Ndjson, Buffer.from(record('ok-2')), cp1252Ndjson]));
    const items: SourceItem[] = await collect(fileSource(fileConfig('bad')).harvest({}));
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(4);
    const warnings = items.filter((i): i is Extract<SourceItem, { kind: 'warning' }> => i.kind === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/^local: .*bad\/records\.ndjson: bytes that are not valid UTF-8 were replaced on 2 lines \(2, 4\)/);
    expect(warnings[0]!.message).toContain('"encoding"');
  });

  it('honours a UTF-8 or UTF-16 byte order mark over the declared encoding', async () => {
    const text = 'id\ttitle\nu-1\tMigrantes en Perú – “informe”\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const [name, bytes] of [['le.tsv', utf16le], ['be.tsv', utf16be], ['u8.tsv', utf8]] as const) {
      const file = write(name, bytes);
      const items = await collect(readInputFile(file, { encoding: 'windows-1252' }));
      expect(items).toEqual([expect.objectContaining({ kind: 'record', position: 2, raw: { id: 'u-1', title: 'Migrantes en Perú – “informe”' } })]);
    }
  });
});

describe('CSV headers', () => {
  it('refuses a CSV whose header names a column twice, saying which', async () => {
    const file = write('dup.csv', 'id,title,countries,Title\nd-1,One,Nepal,Other\n');
    const items: InputItem[] = await collect(readInputFile(file, { source: 'dup.csv' }));
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'error',
        position: 1,
        fatal: true,
        error: expect.stringMatching(/the header names the column "title" twice \(columns 2 and 4\)/),
      }),
    ]);
  });
});
