/**
 * The run's id table (indexer/id-table.ts) answers exactly as a Map of id → numbers would, for
 * any ids (empty, non-ASCII, differing in one character, colliding hashes) and any number of
 * them: a run must never take one record's id for another's.
 */
import fc from 'fast-check';
import { IdTable } from '../../indexer/id-table';

type Op = { kind: 'first' | 'second'; key: string; value: number } | { kind: 'clear'; key: string };

test('answers as a Map does, whatever ids and operations', () => {
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'a', 'A', 'é', 'e\u0301', '𝔸', 'id-1', 'id-10', 'id-100'));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('first' as const), key, value: fc.integer({ min: 0, max: 2 ** 40 }) }),
    fc.record({ kind: fc.constant('second' as const), key, value: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant('clear' as const), key }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), fc.array(key, { maxLength: 30 }), (ops, probes) => {
      const table = new IdTable();
      const first = new Map<string, number>();
      const second = new Map<string, number>();
      const keys = new Set<string>();
      for (const o of ops) {
        if (o.kind === 'first') {
          table.setFirst(o.key, o.value);
          first.set(o.key, o.value);
          keys.add(o.key);
        } else if (o.kind === 'second') {
          table.setSecond(o.key, o.value);
          second.set(o.key, o.value);
          keys.add(o.key);
        } else {
          table.setSecond(o.key, undefined);
          second.delete(o.key);
        }
      }
      for (const k of [...keys, ...probes]) {
        expect(table.has(k)).toBe(keys.has(k));
        expect(table.getFirst(k)).toBe(first.get(k));
        expect(table.getSecond(k)).toBe(second.get(k));
      }
      expect(table.size).toBe(keys.size);
    }),
    { numRuns: 300 },
  );
});

test('holds a million ids, each found with its own numbers', () => {
  const table = new IdTable();
  const n = 1_000_000;
  for (let i = 0; i < n; i++) table.setFirst(`rw-${i}~${i % 7}`, i);
  for (let i = 0; i < n; i += 7) table.setSecond(`rw-${i}~${i % 7}`, i % 3);
  expect(table.size).toBe(n);
  for (let i = 0; i < n; i += 997) {
    expect(table.getFirst(`rw-${i}~${i % 7}`)).toBe(i);
    expect(table.getSecond(`rw-${i}~${i % 7}`)).toBe(i % 7 === 0 ? i % 3 : undefined);
  }
  expect(table.has('rw-1~2')).toBe(false);
});
