import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../../src/core/api/schemas.ts';
import { protectiveExit } from '../../../../src/core/trading/rules/apply.ts';
import {
  emptyRiskState,
  expireCooldowns,
  onCandle,
  onEntry,
  onEquity,
  onExit,
  parseRiskState,
} from '../../../../src/core/trading/rules/risk-state.ts';

const MIN = 60_000;
const cfg = RiskConfig.parse({
  trailingStop: 0.05,
  cooldownMinutes: 30,
  maxDrawdown: 0.2,
  pairs: { 'ETH/USDT': { cooldownMinutes: 5 } },
});

describe('risk state transitions', () => {
  it('tracks a position from entry through candles to exit, and a loss starts the pair cooldown', () => {
    const s = emptyRiskState();
    onEntry(s, 'BTC/USDT', 100, 0, 95, 130);
    expect(s.positions['BTC/USDT']).toEqual({ highWater: 100, entryTs: 0, stop: 95, target: 130 });
    expect(onCandle(s, 'BTC/USDT', { ts: MIN, open: 100, high: 110, low: 99, close: 109 })).toBe(
      true,
    );
    expect(
      onCandle(s, 'BTC/USDT', { ts: 2 * MIN, open: 109, high: 109, low: 105, close: 106 }),
    ).toBe(false);
    expect(s.positions['BTC/USDT']?.highWater).toBe(110);
    expect(onCandle(s, 'SOL/USDT', { ts: MIN, open: 1, high: 2, low: 1, close: 1 })).toBe(false);
    // the trailing stop 5 % under 110 = 104.5
    const hit = protectiveExit(
      'BTC/USDT',
      { avgPrice: 100, entryTs: 0 },
      { ts: 3 * MIN, open: 106, high: 106, low: 104, close: 105 },
      cfg,
      s,
    );
    expect(hit).toMatchObject({ reason: 'trailing_stop', price: 104.5 });
    onExit(s, cfg, 'BTC/USDT', 3 * MIN, 4.5);
    expect(s.positions).toEqual({});
    expect(s.cooldowns).toEqual({});
    onEntry(s, 'ETH/USDT', 50, 0);
    onExit(s, cfg, 'ETH/USDT', 4 * MIN, -1);
    expect(s.cooldowns).toEqual({ 'ETH/USDT': 9 * MIN });
    expect(expireCooldowns(s, 9 * MIN - 1)).toBe(false);
    expect(expireCooldowns(s, 9 * MIN)).toBe(true);
    expect(s.cooldowns).toEqual({});
  });

  it('a journaled snapshot restores the identical state', () => {
    const s = emptyRiskState();
    onEntry(s, 'BTC/USDT', 100, 0, 95);
    onCandle(s, 'BTC/USDT', { ts: MIN, open: 100, high: 123.45, low: 99, close: 120 });
    onEntry(s, 'ETH/USDT', 50, 0);
    onExit(s, cfg, 'ETH/USDT', MIN, -2);
    onEquity(s, cfg, 1, 10_000);
    onEquity(s, cfg, 2, 7_999);
    const restored = parseRiskState(JSON.parse(JSON.stringify(s)));
    expect(restored).toEqual(s);
    expect(restored.killSwitch?.equity).toBe(7_999);
  });

  it.each([
    [{}],
    [{ ...emptyRiskState(), version: 2 }],
    [{ ...emptyRiskState(), positions: { 'BTC/USDT': { highWater: 'x' } } }],
    [{ ...emptyRiskState(), killSwitch: { at: 1 } }],
  ])('a damaged snapshot is an error, never a silent reset: %j', (bad) => {
    expect(() => parseRiskState(bad)).toThrow(/risk state is damaged/);
  });
});
