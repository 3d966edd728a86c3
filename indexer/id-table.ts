/**
 * Record ids of one run, each with two numbers, in typed arrays rather than a Map: a run of a
 * million records would otherwise keep a million strings and map entries on the JavaScript heap
 * (over 100 MB, which every full garbage collection walks again). Keys are compared exactly, as
 * a Map compares them: a table never takes one id for another.
 *
 * Ids are stored as UTF-16 code units one after the other; a slot table with open addressing
 * (kept at most half full) finds them by a hash of their text.
 */
function hashOf(key: string): number {
  // FNV-1a over UTF-16 code units.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const INITIAL_ENTRIES = 1 << 10;

export class IdTable {
  /** Entry number + 1 per slot (0: empty). */
  private slots = new Int32Array(INITIAL_ENTRIES * 2);
  private starts = new Uint32Array(INITIAL_ENTRIES);
  private lengths = new Uint32Array(INITIAL_ENTRIES);
  private hashes = new Uint32Array(INITIAL_ENTRIES);
  /** The two numbers of each entry (NaN: none). */
  private first = new Float64Array(INITIAL_ENTRIES);
  private second = new Float64Array(INITIAL_ENTRIES);
  private chars = new Uint16Array(INITIAL_ENTRIES * 16);
  private used = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  private equals(entry: number, key: string): boolean {
    if (this.lengths[entry] !== key.length) return false;
    const start = this.starts[entry]!;
    const chars = this.chars;
    for (let i = 0; i < key.length; i++) if (chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** The entry of `key`, or -1. */
  private find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot]!;
      if (held === 0) return -1;
      if (this.hashes[held - 1] === hash && this.equals(held - 1, key)) return held - 1;
    }
  }

  private place(entry: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private grow(): void {
    const capacity = this.first.length * 2;
    const grown = <T extends Float64Array | Uint32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.starts = grown(this.starts, new Uint32Array(capacity));
    this.lengths = grown(this.lengths, new Uint32Array(capacity));
    this.hashes = grown(this.hashes, new Uint32Array(capacity));
    this.first = grown(this.first, new Float64Array(capacity));
    this.second = grown(this.second, new Float64Array(capacity));
    this.slots = new Int32Array(capacity * 2);
    for (let entry = 0; entry < this.count; entry++) this.place(entry, this.hashes[entry]!);
  }

  /** The entry of `key`, added (with both numbers NaN) when it is not there. */
  private entry(key: string): number {
    const hash = hashOf(key);
    const found = this.find(key, hash);
    if (found >= 0) return found;
    if (this.count === this.first.length) this.grow();
    if (this.used + key.length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.used + key.length));
      chars.set(this.chars);
      this.chars = chars;
    }
    const entry = this.count++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.used;
    this.lengths[entry] = key.length;
    for (let i = 0; i < key.length; i++) this.chars[this.used + i] = key.charCodeAt(i);
    this.used += key.length;
    this.first[entry] = NaN;
    this.second[entry] = NaN;
    this.place(entry, hash);
    return entry;
  }

  private value(numbers: Float64Array, key: string): number | undefined {
    const entry = this.find(key, hashOf(key));
    const value = entry < 0 ? NaN : numbers[entry]!;
    return Number.isNaN(value) ? undefined : value;
  }

  has(key: string): boolean {
    return this.find(key, hashOf(key)) >= 0;
  }

  getFirst(key: string): number | undefined {
    return this.value(this.first, key);
  }

  getSecond(key: string): number | undefined {
    return this.value(this.second, key);
  }

  setFirst(key: string, value: number): void {
    this.first[this.entry(key)] = value;
  }

  /** `undefined` clears it (the key stays, with its first number). */
  setSecond(key: string, value: number | undefined): void {
    if (value !== undefined) {
      this.second[this.entry(key)] = value;
      return;
    }
    const entry = this.find(key, hashOf(key));
    if (entry >= 0) this.second[entry] = NaN;
  }
}
