import { describe, expect, it } from 'vitest';
import { TsRing } from '../../../src/renderer/src/state/ts-ring.ts';

const item = (ts: number, v = ts) => ({ ts, v });
const tsOf = (r: TsRing<{ ts: number; v: number }>) => r.toArray().map((x) => x.ts);

describe('time-ordered ring buffer', () => {
  it('appends newer items and replaces the newest of the same ts, in the same epoch', () => {
    const r = new TsRing<{ ts: number; v: number }>(5);
    expect(r.upsert(item(1))).toBe('append');
    expect(r.upsert(item(2))).toBe('append');
    expect(r.upsert(item(2, 20))).toBe('replace');
    expect(r.toArray()).toEqual([item(1), item(2, 20)]);
    expect(r.last()).toEqual(item(2, 20));
    expect(r.at(0)).toEqual(item(1));
    expect(r.at(-2)).toEqual(item(1));
    expect(r.at(2)).toBeUndefined();
    expect(r.version).toBe(3);
    expect(r.epoch).toBe(0);
  });

  it('keeps a gap in time as it is (no filling)', () => {
    const r = new TsRing<{ ts: number; v: number }>(5);
    for (const ts of [1, 2, 10, 11]) r.upsert(item(ts));
    expect(tsOf(r)).toEqual([1, 2, 10, 11]);
    expect(r.indexFrom(3)).toBe(2);
    expect(r.indexFrom(10)).toBe(2);
    expect(r.indexFrom(12)).toBe(4);
    expect(r.epoch).toBe(0);
  });

  it('drops the oldest once full, across many wraps, without a new epoch', () => {
    const r = new TsRing<{ ts: number; v: number }>(3);
    for (let ts = 1; ts <= 10; ts++) r.upsert(item(ts));
    expect(r.length).toBe(3);
    expect(tsOf(r)).toEqual([8, 9, 10]);
    expect(r.at(0)?.ts).toBe(8);
    expect(r.indexFrom(9)).toBe(1);
    r.upsert(item(10, 99)); // replace the newest after wrapping
    expect(r.toArray().at(-1)).toEqual(item(10, 99));
    expect(r.epoch).toBe(0);
  });

  it('puts an older item in its place (a new epoch) and drops one older than a full ring', () => {
    const r = new TsRing<{ ts: number; v: number }>(4);
    for (const ts of [1, 3, 5]) r.upsert(item(ts));
    expect(r.upsert(item(2))).toBe('insert');
    expect(tsOf(r)).toEqual([1, 2, 3, 5]);
    expect(r.epoch).toBe(1);
    expect(r.upsert(item(3, 30))).toBe('insert'); // same ts, not the newest: replaced in place
    expect(r.toArray()[2]).toEqual(item(3, 30));
    expect(r.upsert(item(0))).toBe('dropped');
    expect(tsOf(r)).toEqual([1, 2, 3, 5]);
    expect(r.upsert(item(4))).toBe('insert'); // full: the oldest falls out
    expect(tsOf(r)).toEqual([2, 3, 4, 5]);
  });

  it('replaces everything with the newest `capacity` items, and clears', () => {
    const r = new TsRing<{ ts: number; v: number }>(3);
    r.upsert(item(9));
    r.replaceAll([1, 2, 3, 4, 5].map((ts) => item(ts)));
    expect(tsOf(r)).toEqual([3, 4, 5]);
    r.upsert(item(6));
    expect(tsOf(r)).toEqual([4, 5, 6]);
    r.clear();
    expect(r.length).toBe(0);
    expect(r.last()).toBeUndefined();
    expect(r.toArray()).toEqual([]);
    expect(r.epoch).toBe(2);
  });

  it('gives a reader a copy that later changes do not touch, made once per version', () => {
    const r = new TsRing<{ ts: number; v: number }>(3);
    for (const ts of [1, 2, 3]) r.upsert(item(ts));
    const seen = r.toArray();
    expect(r.toArray()).toBe(seen); // no change, no new copy
    const version = r.version;
    r.upsert(item(3, 33));
    r.upsert(item(4));
    r.upsert(item(0.5)); // dropped: changes nothing
    expect(seen).toEqual([item(1), item(2), item(3)]);
    expect(r.version).toBe(version + 2);
    const now = r.toArray();
    expect(now).not.toBe(seen);
    expect(now).toEqual([item(2), item(3, 33), item(4)]);
  });

  it('refuses a capacity that is not a whole number of at least 1', () => {
    expect(() => new TsRing(0)).toThrow(/capacity/);
    expect(() => new TsRing(2.5)).toThrow(/capacity/);
  });
});
