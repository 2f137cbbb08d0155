import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer } from '../../../src/core/transport/coalesce.ts';

describe('createCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('emits the first value at once and the latest of a burst at the end of the interval', () => {
    const out: number[] = [];
    const c = createCoalescer<number>((v) => out.push(v), { intervalMs: 100 });
    c.push(1);
    expect(out).toEqual([1]);
    for (let i = 2; i <= 50; i++) c.push(i);
    expect(out).toEqual([1]);
    vi.advanceTimersByTime(99);
    expect(out).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([1, 50]);
    vi.advanceTimersByTime(1000);
    expect(out).toEqual([1, 50]);
    c.close();
  });

  it('never emits more than once per interval under a steady stream', () => {
    const at: number[] = [];
    const c = createCoalescer<number>(() => at.push(Date.now()), { intervalMs: 100 });
    for (let t = 0; t < 2000; t += 7) {
      c.push(t);
      vi.advanceTimersByTime(7);
    }
    vi.advanceTimersByTime(100);
    expect(at.length).toBeGreaterThanOrEqual(19);
    expect(at.length).toBeLessThanOrEqual(21);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(100);
    c.close();
  });

  it('emits at once again after a quiet period (leading edge)', () => {
    const out: string[] = [];
    const c = createCoalescer<string>((v) => out.push(v), { intervalMs: 100 });
    c.push('a');
    vi.advanceTimersByTime(500);
    c.push('b');
    expect(out).toEqual(['a', 'b']);
    c.close();
  });

  it('close() drops the pending value and clears its timer', () => {
    const out: number[] = [];
    const c = createCoalescer<number>((v) => out.push(v), { intervalMs: 100 });
    c.push(1);
    c.push(2);
    expect(vi.getTimerCount()).toBe(1);
    c.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    c.push(3);
    expect(out).toEqual([1]);
  });
});
