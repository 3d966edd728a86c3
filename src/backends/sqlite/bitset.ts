/**
 * Sets of rowids as bit arrays (32 rowids per word). A million documents take 125 kB per set,
 * and intersecting or subtracting two sets is one pass over 31,250 words, whatever their sizes:
 * how the embedded engine combines words, tags and filters without asking SQLite. Pure.
 */

export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  static of(size: number, rowids: ArrayLike<number>): Bitset {
    const set = new Bitset(size);
    set.addAll(rowids);
    return set;
  }

  has(rowid: number): boolean {
    return rowid < this.size && ((this.words[rowid >>> 5] >>> (rowid & 31)) & 1) === 1;
  }

  add(rowid: number): void {
    this.words[rowid >>> 5] |= 1 << (rowid & 31);
  }

  addAll(rowids: ArrayLike<number>): this {
    const w = this.words;
    for (let i = 0; i < rowids.length; i++) {
      const r = rowids[i];
      w[r >>> 5] |= 1 << (r & 31);
    }
    return this;
  }

  clone(): Bitset {
    return new Bitset(this.size, this.words.slice());
  }

  /** this ∩= other */
  and(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] &= b[i];
    return this;
  }

  /** this ∪= other */
  or(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] |= b[i];
    return this;
  }

  /** this −= other */
  andNot(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] &= ~b[i];
    return this;
  }

  count(): number {
    let n = 0;
    const w = this.words;
    for (let i = 0; i < w.length; i++) {
      let v = w[i];
      if (v === 0) continue;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Calls f for every member, ascending. */
  forEach(f: (rowid: number) => void): void {
    const w = this.words;
    for (let i = 0; i < w.length; i++) {
      let v = w[i];
      while (v !== 0) {
        const low = v & -v;
        f((i << 5) + (31 - Math.clz32(low)));
        v ^= low;
      }
    }
  }

  /** The members, ascending. */
  toArray(): Uint32Array {
    const out = new Uint32Array(this.count());
    let n = 0;
    this.forEach((r) => (out[n++] = r));
    return out;
  }
}
