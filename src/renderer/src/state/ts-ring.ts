/**
 * A time-ordered ring buffer (oldest first) of at most `capacity` items keyed by `ts`,
 * for candles and indicator points streaming in at a fast clock: appending a newer item
 * or replacing the newest is O(1) and copies nothing (the oldest item falls out once it
 * is full). Readers follow two counters: `version` changes with every change, `epoch`
 * only with a change other than "appended or replaced the newest" (an item put in the
 * middle, a replace-all, a clear) — a chart that drew up to the newest item of an epoch
 * can hand over just the items from there on. `toArray()` is a copy made at most once per
 * version and never changed afterwards, so a reader holding it sees consistent data.
 */
export class TsRing<T extends { ts: number }> {
  readonly capacity: number;
  #items: Array<T | undefined>;
  #start = 0;
  #length = 0;
  #version = 0;
  #epoch = 0;
  #copy: readonly T[] | null = null;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`a ring needs a whole capacity of at least 1, not ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }
  get version(): number {
    return this.#version;
  }
  get epoch(): number {
    return this.#epoch;
  }

  /** The item `i` places from the oldest (negative: from the newest, like Array.at). */
  at(i: number): T | undefined {
    const k = i < 0 ? this.#length + i : i;
    if (k < 0 || k >= this.#length) return undefined;
    return this.#items[(this.#start + k) % this.capacity];
  }

  last(): T | undefined {
    return this.at(-1);
  }

  /**
   * Put `item` in its place by `ts`: after the newest (the common case), over an item of
   * the same ts, or between older ones. An item older than everything held in a full ring
   * is dropped (it would fall out at once). Returns how it went in.
   */
  upsert(item: T): 'append' | 'replace' | 'insert' | 'dropped' {
    const newest = this.last();
    if (newest === undefined || item.ts > newest.ts) {
      this.#push(item);
      this.#changed(false);
      return 'append';
    }
    if (item.ts === newest.ts) {
      this.#items[(this.#start + this.#length - 1) % this.capacity] = item;
      this.#changed(false);
      return 'replace';
    }
    const all = [...this.toArray()];
    let i = all.length;
    while (i > 0 && all[i - 1]!.ts > item.ts) i--;
    if (i > 0 && all[i - 1]!.ts === item.ts) all[i - 1] = item;
    else if (i === 0 && all.length >= this.capacity) return 'dropped';
    else all.splice(i, 0, item);
    this.replaceAll(all);
    return 'insert';
  }

  /** Hold `items` (sorted by ts, oldest first; the newest `capacity` of them are kept). */
  replaceAll(items: readonly T[]): void {
    this.#start = 0;
    this.#length = 0;
    this.#items = new Array<T | undefined>(this.capacity);
    for (let i = Math.max(0, items.length - this.capacity); i < items.length; i++)
      this.#push(items[i]!);
    this.#changed(true);
  }

  clear(): void {
    this.replaceAll([]);
  }

  /** Index (from the oldest) of the first item with ts ≥ `ts`; `length` when there is none. */
  indexFrom(ts: number): number {
    let lo = 0;
    let hi = this.#length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid)!.ts < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A copy, oldest first, made once per version: callers must not change it. */
  toArray(): readonly T[] {
    if (this.#copy === null) {
      const out = new Array<T>(this.#length);
      for (let i = 0; i < this.#length; i++)
        out[i] = this.#items[(this.#start + i) % this.capacity]!;
      this.#copy = out;
    }
    return this.#copy;
  }

  #push(item: T): void {
    if (this.#length < this.capacity) {
      this.#items[(this.#start + this.#length) % this.capacity] = item;
      this.#length++;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.capacity;
    }
  }

  #changed(rewritten: boolean): void {
    this.#version++;
    if (rewritten) this.#epoch++;
    this.#copy = null;
  }
}
