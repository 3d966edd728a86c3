/** The embedded engine's set operations and top-k selection, checked against plain arrays. */
import fc from 'fast-check';
import { Bitset } from '../../src/backends/sqlite/bitset';
import { rankByRelevance, type Scorer } from '../../src/backends/sqlite/relevance';

describe('Bitset', () => {
  it('agrees with Set for membership, and, or, and-not, count and order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(299)), fc.array(fc.nat(299)), (xs, ys) => {
        const a = Bitset.of(300, xs);
        const b = Bitset.of(300, ys);
        const sa = new Set(xs);
        const sb = new Set(ys);
        expect([...a.toArray()]).toEqual([...sa].sort((p, q) => p - q));
        expect(a.count()).toBe(sa.size);
        expect([...a.clone().and(b).toArray()]).toEqual([...sa].filter((x) => sb.has(x)).sort((p, q) => p - q));
        expect([...a.clone().or(b).toArray()]).toEqual([...new Set([...xs, ...ys])].sort((p, q) => p - q));
        expect([...a.clone().andNot(b).toArray()]).toEqual([...sa].filter((x) => !sb.has(x)).sort((p, q) => p - q));
        for (let r = 0; r < 300; r++) expect(a.has(r)).toBe(sa.has(r));
      }),
    );
  });
});

describe('rankByRelevance', () => {
  /** A library of `n` documents, each with a bm25 (0: no text match) and whether it has the tag. */
  const library = fc.array(fc.record({ bm25: fc.oneof(fc.constant(0), fc.double({ min: -30, max: -0.01, noNaN: true })), tagged: fc.boolean(), matched: fc.boolean() }), {
    minLength: 1,
    maxLength: 120,
  });

  it('gives what scoring every document would give, whether SQLite\'s top-k suffices or not', () => {
    fc.assert(
      fc.property(library, fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 20, noNaN: true }), (docs, limit, bonus) => {
        const n = docs.length;
        // Every document with a text match or the tag can be matched; the rest never are.
        const matched = Bitset.of(n, docs.flatMap((d, r) => (d.matched && (d.bm25 < 0 || d.tagged) ? [r] : [])));
        const carriers = Bitset.of(n, docs.flatMap((d, r) => (d.tagged ? [r] : [])));
        const text = docs.flatMap((d, r): [number, number][] => (d.bm25 < 0 ? [[r, d.bm25]] : [])).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        const scorer: Scorer = { top: (k) => text.slice(0, k), all: () => text };
        const dateRank = Uint32Array.from(docs, (_, r) => r + 1);
        const byDate = Uint32Array.from(docs, (_, r) => r);
        const input = { matched, limit, scorer, bonuses: [{ carriers, bonus }], dateRank, byDate, datedCount: n };
        const withTop = rankByRelevance({ ...input, topFirst: true }).map((h) => h.rowid);
        const scoredAll = rankByRelevance({ ...input, topFirst: false }).map((h) => h.rowid);
        // Brute force: every matched document's score, newest first among equals.
        const key = (r: number) => docs[r].bm25 - (docs[r].tagged ? bonus : 0) - 1e-10 * dateRank[r];
        const expected = [...matched.toArray()].sort((a, b) => key(a) - key(b) || a - b).slice(0, limit);
        expect(scoredAll).toEqual(expected);
        expect(withTop).toEqual(expected);
      }),
    );
  });
});
