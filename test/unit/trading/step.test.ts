import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../src/core/api/schemas.ts';
import { Account } from '../../../src/core/trading/account.ts';
import { ENTER_LONG, EXIT, TradingCore, type ExitRule } from '../../../src/core/trading/step.ts';

const MIN = 60_000;
type Ohlc = [open: number, high: number, low: number, close: number];

function core(
  symbols: string[],
  opts: {
    cash?: number;
    stake?: number;
    maxOpen?: number;
    fee?: number;
    slip?: number;
    exits?: ExitRule;
  } = {},
) {
  return new TradingCore({
    symbols,
    account: new Account({ quote: 'USDT', cash: opts.cash ?? 1000 }),
    config: {
      risk: RiskConfig.parse({
        stakeFraction: opts.stake ?? 0.5,
        maxOpenPositions: opts.maxOpen ?? 5,
        maxDailyLoss: 0.5,
      }),
      fill: { feeRate: opts.fee ?? 0.001, slippageBps: opts.slip ?? 10 },
    },
    timeframeMs: MIN,
    ...(opts.exits ? { exits: opts.exits } : {}),
    idPrefix: 't',
  });
}

/** Write one candle time into the core's columns and step it. */
function step(
  c: TradingCore,
  minute: number,
  bars: Record<string, Ohlc>,
  signals: Record<string, 'enter' | 'exit'> = {},
) {
  for (const [symbol, [o, h, l, cl]] of Object.entries(bars)) {
    const i = c.index(symbol)!;
    c.bars.present[i] = 1;
    c.bars.open[i] = o;
    c.bars.high[i] = h;
    c.bars.low[i] = l;
    c.bars.close[i] = cl;
  }
  for (const [symbol, s] of Object.entries(signals)) {
    const i = c.index(symbol)!;
    c.signals.action[i] = s === 'enter' ? ENTER_LONG : EXIT;
    c.signals.strength[i] = 1;
  }
  const out = c.step(minute * MIN);
  return {
    settled: out.settled.map((s) => ({ ...s })),
    placed: [...out.placed],
    rejections: [...out.rejections],
  };
}

describe('TradingCore.step', () => {
  it('a hand-checked series: fills at the next open with slippage and fee, every figure known', () => {
    const c = core(['BTC/USDT']);
    // Minute 0 closes at 100 with an entry: stake = 50 % of 1000 = 500 → 5 BTC, pending.
    let r = step(c, 0, { 'BTC/USDT': [100, 101, 99, 100] }, { 'BTC/USDT': 'enter' });
    expect(r.settled).toEqual([]);
    expect(r.placed).toEqual([
      {
        id: 't-1',
        symbol: 'BTC/USDT',
        side: 'buy',
        amount: 5,
        reason: 'strategy entry (strength 1.00)',
        placedTs: 1 * MIN,
      },
    ]);
    expect(c.account.cash).toBe(1000);
    // Minute 1 opens at 102: buy 5 at 102 × 1.001 = 102.102; cost 510.51, fee 0.51051.
    // Its own entry signal comes after the fill and is refused.
    r = step(c, 1, { 'BTC/USDT': [102, 105, 101, 104] }, { 'BTC/USDT': 'enter' });
    expect(r.settled).toHaveLength(1);
    expect(r.settled[0]!.fill).toMatchObject({ side: 'buy', amount: 5, ts: 1 * MIN });
    expect(r.settled[0]!.fill!.price).toBeCloseTo(102.102, 10);
    expect(r.settled[0]!.fill!.fee).toBeCloseTo(0.51051, 10);
    expect(r.rejections).toEqual([
      { symbol: 'BTC/USDT', action: 'enter_long', reason: 'already in a position' },
    ]);
    expect(c.account.cash).toBeCloseTo(488.97949, 9);
    expect(c.equity()).toBeCloseTo(488.97949 + 5 * 104, 9);
    // Minute 2: exit signal at the close of 106 → sell pending.
    r = step(c, 2, { 'BTC/USDT': [105, 107, 104, 106] }, { 'BTC/USDT': 'exit' });
    expect(r.placed.map((o) => `${o.side} ${o.amount}`)).toEqual(['sell 5']);
    // Minute 3 opens at 110: sell 5 at 110 × 0.999 = 109.89; proceeds 549.45, fee 0.54945.
    r = step(c, 3, { 'BTC/USDT': [110, 111, 108, 109] });
    const sell = r.settled[0]!;
    expect(sell.fill!.price).toBeCloseTo(109.89, 10);
    expect(sell.fill!.fee).toBeCloseTo(0.54945, 10);
    expect(sell.trade).toMatchObject({
      symbol: 'BTC/USDT',
      entryTs: 1 * MIN,
      exitTs: 3 * MIN,
      amount: 5,
    });
    expect(sell.trade!.pnl).toBeCloseTo(549.45 - 510.51 - 0.51051 - 0.54945, 9);
    expect(c.account.cash).toBeCloseTo(1037.88004, 9);
    expect(c.equity()).toBeCloseTo(1037.88004, 9);
    expect(c.account.openCount).toBe(0);
    expect(c.hasWork()).toBe(false);
  });

  it('a pending order waits for its own symbol’s next candle (a gap delays it, it never fills at a later close)', () => {
    const c = core(['A/USDT', 'B/USDT'], { fee: 0, slip: 0 });
    step(c, 0, { 'A/USDT': [10, 10, 10, 10], 'B/USDT': [20, 20, 20, 20] }, { 'A/USDT': 'enter' });
    // A has no candle at minute 1: nothing fills.
    let r = step(c, 1, { 'B/USDT': [21, 21, 21, 21] });
    expect(r.settled).toEqual([]);
    expect(c.pending()).toHaveLength(1);
    r = step(c, 2, { 'A/USDT': [12, 13, 11, 13], 'B/USDT': [22, 22, 22, 22] });
    expect(r.settled[0]!.fill).toMatchObject({
      symbol: 'A/USDT',
      price: 12,
      amount: 50,
      ts: 2 * MIN,
    });
    expect(c.pending()).toEqual([]);
  });

  it('multi-pair: the max-open-positions limit holds across pairs, exits free a slot first', () => {
    const c = core(['A/USDT', 'B/USDT', 'C/USDT'], { maxOpen: 2, stake: 0.2 });
    const flat = (p: number): Ohlc => [p, p, p, p];
    const all = (p: number) => ({ 'A/USDT': flat(p), 'B/USDT': flat(p), 'C/USDT': flat(p) });
    let r = step(c, 0, all(10), { 'A/USDT': 'enter', 'B/USDT': 'enter', 'C/USDT': 'enter' });
    expect(r.placed.map((o) => o.symbol)).toEqual(['A/USDT', 'B/USDT']);
    expect(r.rejections).toEqual([
      {
        symbol: 'C/USDT',
        action: 'enter_long',
        reason: 'max open positions (2) reached',
        rule: 'max_open_positions',
        values: { max: 2 },
      },
    ]);
    r = step(c, 1, all(10), { 'C/USDT': 'enter' });
    expect(r.settled.map((s) => s.fill?.symbol)).toEqual(['A/USDT', 'B/USDT']);
    expect(r.rejections[0]!.reason).toBe('max open positions (2) reached');
    expect(c.account.openCount).toBe(2);
    // A exits and C enters on the same candle: the exit frees its slot.
    r = step(c, 2, all(11), { 'A/USDT': 'exit', 'C/USDT': 'enter' });
    expect(r.placed.map((o) => `${o.side} ${o.symbol}`)).toEqual(['sell A/USDT', 'buy C/USDT']);
    // Both fill at the next open, the sell first.
    r = step(c, 3, all(12));
    expect(r.settled.map((s) => `${s.fill?.side} ${s.fill?.symbol}`)).toEqual([
      'sell A/USDT',
      'buy C/USDT',
    ]);
    expect([...c.account.positions()].map((p) => p.symbol)).toEqual(['B/USDT', 'C/USDT']);
  });

  it('protective exits fill inside the candle that crosses them', () => {
    const stopAt95: ExitRule = (p, bars, i) =>
      bars.low[i]! <= p.avgPrice * 0.95
        ? { price: Math.min(bars.open[i]!, p.avgPrice * 0.95), reason: 'stop loss' }
        : null;
    const c = core(['A/USDT'], { fee: 0, slip: 0, exits: stopAt95 });
    step(c, 0, { 'A/USDT': [100, 100, 100, 100] }, { 'A/USDT': 'enter' });
    step(c, 1, { 'A/USDT': [100, 101, 99, 100] });
    const r = step(c, 2, { 'A/USDT': [99, 99, 90, 92] });
    expect(r.settled).toHaveLength(1);
    expect(r.settled[0]!.fill).toMatchObject({ side: 'sell', price: 95, ts: 2 * MIN });
    expect(r.settled[0]!.order.reason).toBe('stop loss');
    expect(c.account.cash).toBeCloseTo(1000 - 500 + 475, 9);
  });

  it('a refused fill is reported with the reason and changes nothing', () => {
    const c = core(['A/USDT'], { stake: 1, fee: 0, slip: 0 });
    step(c, 0, { 'A/USDT': [10, 10, 10, 10] }, { 'A/USDT': 'enter' });
    // Opens 10 % higher than the decision price: the all-in buy no longer fits the cash.
    const r = step(c, 1, { 'A/USDT': [11, 11, 11, 11] });
    expect(r.settled[0]!.fill).toBeNull();
    expect(r.settled[0]!.reason).toMatch(/insufficient balance/);
    expect(c.account.cash).toBe(1000);
    expect(c.pending()).toEqual([]);
  });

  it('cancelPending and closeAll serve a stop', () => {
    const c = core(['A/USDT', 'B/USDT'], { fee: 0, slip: 0 });
    step(c, 0, { 'A/USDT': [10, 10, 10, 10], 'B/USDT': [10, 10, 10, 10] }, { 'A/USDT': 'enter' });
    step(c, 1, { 'A/USDT': [10, 10, 10, 12], 'B/USDT': [10, 10, 10, 10] }, { 'B/USDT': 'enter' });
    expect(c.cancelPending().map((o) => o.symbol)).toEqual(['B/USDT']);
    const closed = c.closeAll(2 * MIN, 'close position on stop');
    expect(closed.map((s) => [s.fill?.symbol, s.fill?.price])).toEqual([['A/USDT', 12]]);
    expect(c.account.openCount).toBe(0);
    expect(c.account.cash).toBeCloseTo(1100, 9);
  });

  it('round trips of large amounts (to 1e9 units, prices to 1e-8) end flat, and the pair trades again', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let k = 0; k < 60; k++) {
      const price = 10 ** (-8 + rand() * 6);
      // Half the cash goes in: up to 10 / 1e-8 = 1e9 units.
      const cash = 2.5 + rand() * 17.5;
      const units = (cash / 2 / price).toPrecision(3);
      const c = core(['ALT/USDT'], { cash, stake: 0.5, slip: rand() * 20 });
      const bar = (p: number): Ohlc => [p, p * 1.01, p * 0.99, p];
      let minute = 0;
      for (let round = 0; round < 2; round++) {
        step(c, minute++, { 'ALT/USDT': bar(price) }, { 'ALT/USDT': 'enter' });
        step(c, minute++, { 'ALT/USDT': bar(price * 1.001) }, { 'ALT/USDT': 'exit' });
        const r = step(c, minute++, { 'ALT/USDT': bar(price * 0.999) });
        expect(r.settled).toHaveLength(1);
        expect(r.settled[0]!.trade, `round ${round}: ${units} units at ${price}`).not.toBeNull();
        expect(c.account.openCount).toBe(0);
        expect(c.account.holdings().size).toBe(0);
      }
    }
  });

  it('a step with nothing to do changes nothing and clears the columns it consumed', () => {
    const c = core(['A/USDT']);
    c.signals.action[0] = ENTER_LONG; // a signal without a candle is ignored
    const out = c.step(0);
    expect(out.placed).toEqual([]);
    expect(c.signals.action[0]).toBe(0);
    expect(c.priceOf('A/USDT')).toBeUndefined();
  });
});
