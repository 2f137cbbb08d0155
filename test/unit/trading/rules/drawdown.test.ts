import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../../src/core/api/schemas.ts';
import { checkDrawdown } from '../../../../src/core/trading/rules/drawdown.ts';
import {
  acknowledgeKillSwitch,
  emptyRiskState,
  onEquity,
} from '../../../../src/core/trading/rules/risk-state.ts';

describe('max drawdown → kill switch', () => {
  it.each([
    { peak: 10_000, equity: 9000.01, max: 0.1, tripped: false },
    { peak: 10_000, equity: 9000, max: 0.1, tripped: true },
    { peak: 10_000, equity: 8999.99, max: 0.1, tripped: true },
    // 0.3 of 1.1 is not exact in binary; at the threshold it still fires
    { peak: 1.1, equity: 1.1 * 0.7, max: 0.3, tripped: true },
    { peak: 12_345.67, equity: 12_345.67 * (1 - 0.07), max: 0.07, tripped: true },
    { peak: 12_345.67, equity: 12_345.67 * (1 - 0.07) + 0.01, max: 0.07, tripped: false },
    { peak: null, equity: 5000, max: 0.1, tripped: false },
    { peak: 10_000, equity: 1, max: undefined, tripped: false },
  ])('peak $peak, equity $equity, max $max → $tripped', ({ peak, equity, max, tripped }) => {
    expect(checkDrawdown(peak, equity, max).tripped).toBe(tripped);
  });

  it('the peak follows new highs only', () => {
    expect(checkDrawdown(100, 120, 0.1)).toEqual({ peak: 120, drawdown: 0, tripped: false });
    expect(checkDrawdown(120, 108, 0.2)).toMatchObject({ peak: 120, drawdown: 0.1 });
  });

  it('fires exactly once at the first equity at its threshold, then stays until acknowledged', () => {
    const cfg = RiskConfig.parse({ maxDrawdown: 0.1 });
    const state = emptyRiskState();
    const curve = [10_000, 10_500, 10_200, 9_451, 9_450, 9_000, 11_000];
    const trips = curve.map((e, i) => onEquity(state, cfg, i, e));
    // 10 % below the 10 500 peak is 9 450: the fifth value, not the fourth
    expect(trips.map((t) => t !== null)).toEqual([false, false, false, false, true, false, false]);
    expect(state.killSwitch).toMatchObject({ at: 4, equity: 9450, peak: 10_500, threshold: 0.1 });
    expect(state.killSwitch?.message).toMatch(/^kill_switch: drawdown 10\.00% .* 10500\.00/);
    expect(acknowledgeKillSwitch(state)?.at).toBe(4);
    expect(state.killSwitch).toBeNull();
    // measured afresh from the equity after the acknowledgement
    expect(onEquity(state, cfg, 7, 9000)).toBeNull();
    expect(state.equityPeak).toBe(9000);
    expect(onEquity(state, cfg, 8, 8100)?.peak).toBe(9000);
  });
});
