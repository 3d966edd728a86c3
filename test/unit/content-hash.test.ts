/**
 * Every generation stores each document's content hash, and the next build compares against it
 * to keep the datestamps of unchanged documents (src/search/datestamp.ts). A faster way of
 * computing it must give exactly the hashes earlier builds stored, or the first rebuild after an
 * upgrade would mark every document as changed (and every OAI-PMH harvester would fetch it all).
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { contentHash, jsonWithHash } from '../../src/search/datestamp';
import type { ResourceDocument } from '../../src/search/types';

/** The definition as first released: sorted keys through Object.fromEntries, undefined members dropped. */
function referenceCanonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(referenceCanonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, referenceCanonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function referenceHash(doc: ResourceDocument): string {
  const { changed: _changed, ...content } = doc;
  void _changed;
  return crypto.createHash('sha256').update(JSON.stringify(referenceCanonical(content))).digest('base64url').slice(0, 32);
}

const document: ResourceDocument = {
  id: 'iom-2019-17',
  title: 'Labour migration from Nepal to the Gulf: recruitment fees',
  abstract: 'Côte d’Ivoire and “Türkiye”, with a line\nbreak and a \u0001 control character',
  publishers: ['IOM', 'ILO'],
  authors: ['Zed, A.', 'Adams, B.'],
  languages: ['en'],
  published: '2019-05',
  year: 2019,
  countries: ['NPL', 'QAT'],
  regions: ['un-m49-142'],
  groupings: ['gcc'],
  themes: ['recruitment'],
  corridors: ['NPL-QAT'],
  keywords: ['fees', 'recruitment'],
  tagging: {
    countries: { given: ['NPL'], found: ['QAT'] },
    regions: { given: [], found: [], derived: ['un-m49-142'] },
    themes: { given: [], found: ['recruitment'] },
  },
  source: 'sample',
};

test('the hash of a document is the one earlier versions stored (a fixed value)', () => {
  expect(contentHash(document)).toBe(referenceHash(document));
  expect(contentHash(document)).toBe('llLWm_50arwZJ5u41JJaZmjlcu2ld3lM');
});

test('a document whose keys are in canonical order is serialised once for its body and its hash', () => {
  const sorted = JSON.parse(JSON.stringify(referenceCanonical(document))) as ResourceDocument;
  expect(jsonWithHash(sorted)).toEqual({ json: JSON.stringify(sorted), hash: referenceHash(document) });
  expect(jsonWithHash(document)).toEqual({ json: JSON.stringify(document), hash: referenceHash(document) });
});

test('key order, undefined members and the datestamp do not change the hash', () => {
  const reordered = Object.fromEntries(Object.entries(document).reverse()) as unknown as ResourceDocument;
  expect(contentHash(reordered)).toBe(contentHash(document));
  expect(contentHash({ ...document, url: undefined, changed: '2024-01-01T00:00:00Z' })).toBe(contentHash(document));
  expect(contentHash({ ...document, title: `${document.title}.` })).not.toBe(contentHash(document));
});

test('for any JSON-like content, including odd keys (__proto__, integers) and nested arrays, the hash is the reference one', () => {
  const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '10', '2', 'toJSON', 'changed'));
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    ),
  })).node;
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (content) => {
      const doc = content as unknown as ResourceDocument;
      expect(contentHash(doc)).toBe(referenceHash(doc));
      // The writers' one-pass form: the document's own JSON, and the same hash.
      const { changed: _changed, ...stored } = doc;
      void _changed;
      expect(jsonWithHash(stored)).toEqual({ json: JSON.stringify(stored), hash: referenceHash(doc) });
    }),
    { numRuns: 500 },
  );
});
