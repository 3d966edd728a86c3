/** The sources file: validation with every problem named, defaults, paths, the project's own file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSourcesFile, parseSourcesConfig, SourcesFileError } from '../../indexer/sources/config';

const PROJECT_ROOT = path.join(__dirname, '..', '..');

function problems(input: unknown): string[] {
  try {
    parseSourcesConfig(input, '/base');
  } catch (err) {
    if (err instanceof SourcesFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the sources file to be refused');
}

describe('sources file', () => {
  it('accepts every kind, filling defaults and resolving file locations against the file', () => {
    const sources = parseSourcesConfig(
      {
        sources: [
          { id: 'local', kind: 'file', location: 'data/records.csv', defaults: { publisher: 'ILO' } },
          { id: 'api', kind: 'http-json', location: 'https://api.example.org/items', itemsPath: 'results', pagination: { type: 'page' }, mapping: { title: 'name', authors: ['people.name', 'author'] } },
          { id: 'news', kind: 'rss', location: 'https://news.example.org/feed.xml', http: { timeoutMs: 5000 } },
          { id: 'reports', kind: 'atom', location: 'https://reports.example.org/atom', prune: true, enabled: false },
          { id: 'repo', kind: 'oai-pmh', location: 'https://repo.example.org/oai' },
        ],
      },
      '/base',
    );
    expect(sources.map((s) => [s.id, s.enabled, s.prune])).toEqual([
      ['local', true, true],
      ['api', true, true],
      // Feeds list only their latest items: pruning them is opt-in.
      ['news', true, false],
      ['reports', false, true],
      ['repo', true, true],
    ]);
    expect(sources[0]).toMatchObject({ kind: 'file', location: path.resolve('/base', 'data/records.csv') });
    expect(sources[1]).toMatchObject({ pagination: { type: 'page', param: 'page', start: 1 }, maxPages: 100 });
    expect(sources[2]).toMatchObject({ http: { timeoutMs: 5000, retries: 2, maxBytes: 20 * 1024 * 1024, headers: {} } });
    expect(sources[4]).toMatchObject({ metadataPrefix: 'oai_dc', maxPages: 1000 });
  });

  it('lists every problem, each with the source index, id and field', () => {
    expect(
      problems({
        sources: [
          { id: 'ilo-feed', kind: 'rss', location: 'ftp://example.org/feed' },
          { id: 'Bad Id!', kind: 'file', location: 'x.csv' },
          { id: 'api', kind: 'http-json', location: 'https://a.example/x', itemPath: 'results', pagination: { type: 'pages' } },
          { id: 'ilo-feed', kind: 'atom', location: 'https://example.org/atom', mapping: { titel: 'name' }, defaults: { id: 'x' } },
          { id: 'what', kind: 'gopher', location: 'x' },
          { id: 'repo', kind: 'oai-pmh', location: 'https://r.example/oai', http: { timeoutMs: 5, retries: -1 } },
        ],
        extra: true,
      }),
    ).toEqual([
      'sources[0] (ilo-feed): location: must be an absolute http:// or https:// URL',
      'sources[1] (Bad Id!): id: must be 1-64 lower-case letters, digits and hyphens, starting with a letter or digit',
      'sources[2] (api): pagination.type: expected one of none, page, offset, next-link, cursor',
      'sources[2] (api): Unrecognized key: "itemPath"',
      expect.stringMatching(/^sources\[3\] \(ilo-feed\): mapping\.titel: not a record field \(expected one of id, title, .*, doi, .*\)$/),
      expect.stringMatching(/^sources\[3\] \(ilo-feed\): defaults\.id: not a record field a default can be given for/),
      'sources[3] (ilo-feed): id: "ilo-feed" is already the id of sources[0]',
      'sources[4] (what): kind: expected one of file, http-json, rss, atom, oai-pmh',
      expect.stringMatching(/^sources\[5\] \(repo\): http\.timeoutMs: /),
      expect.stringMatching(/^sources\[5\] \(repo\): http\.retries: /),
      '(file): Unrecognized key: "extra"',
    ]);
  });

  it('refuses two sources with one id', () => {
    expect(
      problems({
        sources: [
          { id: 'a', kind: 'file', location: 'x' },
          { id: 'a', kind: 'file', location: 'y' },
        ],
      }),
    ).toEqual(['sources[1] (a): id: "a" is already the id of sources[0]']);
  });

  it('reports unreadable and malformed files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-sources-'));
    try {
      const file = path.join(dir, 'sources.json');
      expect(() => loadSourcesFile(file)).toThrow(/cannot be read/);
      fs.writeFileSync(file, '{ "sources": [ }');
      expect(() => loadSourcesFile(file)).toThrow(/is not valid JSON/);
      fs.writeFileSync(file, '{ "sources": [ { "id": "x", "kind": "file", "location": "records" } ] }');
      expect(loadSourcesFile(file)[0]).toMatchObject({ location: path.join(dir, 'records') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the project's sources.json works offline: the sample data as a file source", () => {
    const sources = loadSourcesFile(path.join(PROJECT_ROOT, 'sources.json'));
    expect(sources).toEqual([
      expect.objectContaining({ id: 'sample', kind: 'file', enabled: true, prune: true, location: path.join(PROJECT_ROOT, 'data-sample') }),
    ]);
  });
});
