import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../../src/core/api/schemas.ts';
import {
  reviewEntry,
  rulesWatchEveryCandle,
  type EntryContext,
} from '../../../../src/core/trading/rules/apply.ts';
import { cooldownAfterTrade, cooldownBlocks } from '../../../../src/core/trading/rules/cooldown.ts';
import { capByExposure } from '../../../../src/core/trading/rules/exposure.ts';
import { emptyRiskState } from '../../../../src/core/trading/rules/risk-state.ts';
import { entryStake, type SizingInput } from '../../../../src/core/trading/rules/sizing.ts';

const MIN = 60_000;
const base: SizingInput = {
  equity: 10_000,
  cash: 10_000,
  price: 100,
  stopPrice: undefined,
  feeRate: 0.001,
};

describe('sizing', () => {
  it.each([
    { name: 'equity fraction', cfg: { stakeFraction: 0.1 }, input: {}, quote: 1000 },
    {
      name: 'fixed quote',
      cfg: { sizing: 'fixed_quote', stakeAmount: 250 },
      input: {},
      quote: 250,
    },
    // 1 % of 10 000 = 100 at risk; the stop is 5 % below: 100 / 0.05 = 2000
    {
      name: 'risk per trade from the stop distance',
      cfg: { sizing: 'risk_per_trade', riskPerTrade: 0.01 },
      input: { stopPrice: 95 },
      quote: 2000,
    },
    {
      name: 'risk per trade, tighter stop, bigger stake',
      cfg: { sizing: 'risk_per_trade', riskPerTrade: 0.01 },
      input: { stopPrice: 98 },
      quote: 5000,
    },
    {
      name: 'capped by the cash left less the fee',
      cfg: { sizing: 'fixed_quote', stakeAmount: 5000 },
      input: { cash: 1001 },
      quote: 1000,
    },
  ] as const)('$name', ({ cfg, input, quote }) => {
    const r = entryStake(RiskConfig.parse(cfg), { ...base, ...input });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.quote).toBeCloseTo(quote, 6);
  });

  it.each([
    { cfg: { sizing: 'fixed_quote' }, input: {}, reason: /needs stakeAmount/ },
    { cfg: { sizing: 'risk_per_trade', riskPerTrade: 0.01 }, input: {}, reason: /needs a stop/ },
    { cfg: { sizing: 'risk_per_trade' }, input: { stopPrice: 95 }, reason: /needs riskPerTrade/ },
    {
      cfg: { sizing: 'risk_per_trade', riskPerTrade: 0.01 },
      input: { stopPrice: 100 },
      reason: /not below/,
    },
    { cfg: {}, input: { price: 0 }, reason: /no price/ },
    { cfg: {}, input: { cash: 0 }, reason: /no cash/ },
  ] as const)('refuses: $reason', ({ cfg, input, reason }) => {
    const r = entryStake(RiskConfig.parse(cfg), { ...base, ...input });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('exposure', () => {
  const eq = { equity: 10_000, symbolValue: 0, totalValue: 0 };
  it.each([
    { name: 'no limits', limits: {}, input: {}, quote: 1000, by: null },
    {
      name: 'room on the symbol trims the stake',
      limits: { maxExposurePerSymbol: 0.15 },
      input: { symbolValue: 1000 },
      quote: 500,
      by: 'max_exposure_symbol',
    },
    {
      name: 'room in total trims the stake',
      limits: { maxTotalExposure: 0.5 },
      input: { totalValue: 4800 },
      quote: 200,
      by: 'max_exposure_total',
    },
    {
      name: 'the tighter limit trims',
      limits: { maxExposurePerSymbol: 0.2, maxTotalExposure: 0.5 },
      input: { symbolValue: 1500, totalValue: 4700 },
      quote: 300,
      by: 'max_exposure_total',
    },
    {
      name: 'enough room: untouched',
      limits: { maxExposurePerSymbol: 0.2, maxTotalExposure: 0.5 },
      input: {},
      quote: 1000,
      by: null,
    },
  ] as const)('$name', ({ limits, input, quote, by }) => {
    const r = capByExposure(1000, limits, { ...eq, ...input });
    expect(r).toMatchObject({ ok: true, trimmedBy: by });
    if (r.ok) expect(r.quote).toBeCloseTo(quote, 9);
  });

  it.each([
    {
      limits: { maxExposurePerSymbol: 0.1 },
      input: { symbolValue: 1000 },
      rule: 'max_exposure_symbol',
    },
    { limits: { maxTotalExposure: 0.5 }, input: { totalValue: 6000 }, rule: 'max_exposure_total' },
  ] as const)('refuses at the limit: $rule', ({ limits, input, rule }) => {
    const r = capByExposure(1000, limits, { ...eq, ...input });
    expect(r).toMatchObject({ ok: false, rule });
    if (!r.ok) expect(r.reason).toMatch(new RegExp(`^${rule}: `));
  });
});

describe('cooldown after a losing trade', () => {
  it.each([
    { pnl: -0.01, minutes: 30, until: 1000 + 30 * MIN },
    { pnl: 0, minutes: 30, until: undefined },
    { pnl: 5, minutes: 30, until: undefined },
    { pnl: -5, minutes: undefined, until: undefined },
    { pnl: -5, minutes: 0, until: undefined },
  ])('pnl $pnl, $minutes min → $until', ({ pnl, minutes, until }) => {
    expect(cooldownAfterTrade(1000, pnl, minutes)).toBe(until);
  });

  it('blocks until its end, not after', () => {
    expect(cooldownBlocks(10 * MIN, 10 * MIN - 1)).toMatch(/^cooldown: .* 1 min/);
    expect(cooldownBlocks(10 * MIN, 10 * MIN)).toBeNull();
    expect(cooldownBlocks(undefined, 0)).toBeNull();
  });
});

describe('reviewEntry: the entry rules combined', () => {
  const ctx: EntryContext = {
    now: 0,
    equity: 10_000,
    cash: 10_000,
    price: 100,
    symbolValue: 0,
    totalValue: 0,
    feeRate: 0.001,
    limits: { amountStep: 0.001, minAmount: 0.01, minCost: 5 },
  };
  const sig = { symbol: 'BTC/USDT' };

  it('sizes through every rule: risk per trade, trimmed by exposure, floored to the step', () => {
    const cfg = RiskConfig.parse({
      sizing: 'risk_per_trade',
      riskPerTrade: 0.01,
      stopLoss: 0.03,
      maxExposurePerSymbol: 0.25,
    });
    // 100 at risk / 3 % = 3333.33, trimmed to 2500 by the 25 % symbol limit, 25 units
    const r = reviewEntry({ ...sig, stop: 96 }, ctx, cfg, emptyRiskState());
    expect(r).toMatchObject({
      ok: true,
      amount: 25,
      stopPrice: 97,
      notes: ['stake trimmed by max_exposure_symbol'],
    });
  });

  it('uses the signal stop when it is tighter', () => {
    const cfg = RiskConfig.parse({ sizing: 'risk_per_trade', riskPerTrade: 0.01, stopLoss: 0.1 });
    const r = reviewEntry({ ...sig, stop: 98 }, ctx, cfg, emptyRiskState());
    // 100 / 2 % = 5000 → 50 units
    expect(r).toMatchObject({ ok: true, amount: 50, stopPrice: 98 });
  });

  it.each([
    {
      rule: 'kill_switch',
      cfg: {},
      state: {
        killSwitch: {
          at: 0,
          equity: 8000,
          peak: 10_000,
          drawdown: 0.2,
          threshold: 0.2,
          message: 'kill_switch: tripped',
        },
      },
      signal: {},
      over: {},
    },
    {
      rule: 'cooldown',
      cfg: {},
      state: { cooldowns: { 'BTC/USDT': 5 * MIN } },
      signal: {},
      over: {},
    },
    { rule: 'invalid_stop', cfg: {}, state: {}, signal: { stop: 101 }, over: {} },
    { rule: 'sizing', cfg: { sizing: 'fixed_quote' }, state: {}, signal: {}, over: {} },
    {
      rule: 'max_exposure_total',
      cfg: { maxTotalExposure: 0.5 },
      state: {},
      signal: {},
      over: { totalValue: 5000 },
    },
    {
      rule: 'min_cost',
      cfg: { sizing: 'fixed_quote', stakeAmount: 4 },
      state: {},
      signal: {},
      over: {},
    },
    {
      rule: 'min_amount',
      cfg: { sizing: 'fixed_quote', stakeAmount: 0.5 },
      state: {},
      signal: {},
      over: { limits: { amountStep: 0.001, minAmount: 0.01 } },
    },
  ] as const)('refuses by $rule, and the reason names it', ({ rule, cfg, state, signal, over }) => {
    const r = reviewEntry({ ...sig, ...signal }, { ...ctx, ...over }, RiskConfig.parse(cfg), {
      ...emptyRiskState(),
      ...state,
    });
    expect(r).toMatchObject({ ok: false, rule });
  });

  it('a cooldown on another pair does not block this one', () => {
    const state = { ...emptyRiskState(), cooldowns: { 'ETH/USDT': 5 * MIN } };
    expect(reviewEntry(sig, ctx, RiskConfig.parse({}), state).ok).toBe(true);
  });
});

describe('rulesWatchEveryCandle', () => {
  it.each([
    [{}, false],
    [{ stopLoss: 0.1 }, true],
    [{ roi: [] }, false],
    [{ roi: [{ afterMinutes: 0, minReturn: 0.1 }] }, true],
    [{ maxDrawdown: 0.2 }, true],
    [{ cooldownMinutes: 5, maxTotalExposure: 0.5 }, false],
    [{ pairs: { 'BTC/USDT': { trailingStop: 0.05 } } }, true],
    [{ pairs: { 'BTC/USDT': { cooldownMinutes: 5 } } }, false],
  ])('%j → %s', (cfg, want) => {
    expect(rulesWatchEveryCandle(RiskConfig.parse(cfg))).toBe(want);
  });
});
