import { describe, expect, it } from 'vitest';
import { runPnl } from '../../../src/renderer/src/state/run-pnl.ts';

describe('runPnl', () => {
  it("is the run's own first-to-last equity, not the span of the points a chart loaded", () => {
    // a long run: the chart holds only its last points (9,100 → 7,121), the run began at 10,000
    const loaded = { first: { equity: 9_100 }, last: { equity: 7_121.04 } };
    expect(runPnl({ equityFrom: 10_000, equityTo: 7_121.04 }, loaded)).toBeCloseTo(-2_878.96, 6);
  });

  it('falls back to the loaded points for a run record without its equity, and is null without any', () => {
    expect(runPnl({}, { first: { equity: 100 }, last: { equity: 90 } })).toBe(-10);
    expect(runPnl({ equityFrom: null, equityTo: null }, { first: null, last: null })).toBeNull();
  });
});
