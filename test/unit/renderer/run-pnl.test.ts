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

describe('currentPnl', () => {
  const status = (state: string, equity: number | null, startingBalance: number) => ({
    state,
    equity,
    config: { startingBalance },
  });

  it("measures the current run from its own first equity, not the account's start", async () => {
    const { currentPnl } = await import('../../../src/renderer/src/state/run-pnl.ts');
    // the first run lost 2,922; the second begins at 7,078 and is at 7,100 now
    const run = { equityFrom: 7_078, config: { startingBalance: 10_000 } };
    const p = currentPnl(status('running', 7_100, 10_000), run, { equity: 7_078 });
    expect(p.run).toBeCloseTo(22, 6);
    expect(p.account).toBeCloseTo(-2_900, 6);
    // its record read before its first tick: the first equity point loaded stands in
    const early = currentPnl(
      status('running', 7_090, 10_000),
      { equityFrom: null, config: run.config },
      { equity: 7_078 },
    );
    expect(early.run).toBeCloseTo(12, 6);
  });

  it('measures the account against the balance it started with, not a changed setting', async () => {
    const { currentPnl } = await import('../../../src/renderer/src/state/run-pnl.ts');
    const run = { equityFrom: 10_000, config: { startingBalance: 10_000 } };
    // stopped at 7,307; the starting-balance setting is now 25,000
    const p = currentPnl(status('stopped', 7_307, 25_000), run, null);
    expect(p.account).toBeCloseTo(-2_693, 6);
    expect(p.accountStart).toBe(10_000);
    // stopped, and no run record: nothing to measure against (not the setting)
    expect(currentPnl(status('stopped', 7_307, 25_000), undefined, null).account).toBeNull();
    expect(currentPnl(status('running', null, 10_000), run, null)).toEqual({
      run: null,
      account: null,
      accountStart: 10_000,
    });
  });
});
