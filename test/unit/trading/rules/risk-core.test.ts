/**
 * The risk rules inside the trading core's step, as the paper engine and the backtester
 * run them: protective exits fill inside the candle, also while entries are paused; the
 * signal's own stop; cooldowns; the kill switch; and a restart from a journaled snapshot
 * continuing exactly like the run that never stopped.
 */
import { describe, expect, it } from 'vitest';
import { RiskConfig, type RiskConfig as RiskConfigT } from '../../../../src/core/api/schemas.ts';
import { Account, type AccountFill } from '../../../../src/core/trading/account.ts';
import { RiskBook } from '../../../../src/core/trading/rules/risk-book.ts';
import { ENTER_LONG, EXIT, TradingCore } from '../../../../src/core/trading/step.ts';

const MIN = 60_000;
type Ohlc = [open: number, high: number, low: number, close: number];
type Sig = 'enter' | 'exit' | { stop?: number; target?: number };

function make(
  symbols: string[],
  risk: Partial<RiskConfigT>,
  fills: AccountFill[] = [],
  snapshot?: unknown,
) {
  const config = RiskConfig.parse({
    stakeFraction: 0.5,
    maxOpenPositions: 5,
    maxDailyLoss: 0.9,
    ...risk,
  });
  const account = new Account({ quote: 'USDT', cash: 1000 });
  for (const f of fills) account.apply(f);
  const book = snapshot === undefined ? new RiskBook(config) : RiskBook.restore(config, snapshot);
  const core = new TradingCore({
    symbols,
    account,
    config: { risk: config, fill: { feeRate: 0, slippageBps: 0 } },
    timeframeMs: MIN,
    risk: book,
    idPrefix: 't',
  });
  return { core, book, fills: [] as AccountFill[] };
}

function step(
  t: ReturnType<typeof make>,
  minute: number,
  bars: Record<string, Ohlc>,
  signals: Record<string, Sig> = {},
) {
  const c = t.core;
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
    c.signals.action[i] = s === 'exit' ? EXIT : ENTER_LONG;
    c.signals.strength[i] = 1;
    if (typeof s === 'object') {
      if (s.stop !== undefined) c.signals.stop[i] = s.stop;
      if (s.target !== undefined) c.signals.target[i] = s.target;
    }
  }
  const out = c.step(minute * MIN);
  for (const s of out.settled) if (s.fill) t.fills.push({ ...s.fill });
  return {
    exits: out.settled
      .filter((s) => s.order.side === 'sell')
      .map(
        (s) =>
          `${s.order.reason.split(' ')[0]}@${s.fill ? Number(s.fill.price.toPrecision(10)) : '-'}`,
      ),
    buys: out.settled.filter((s) => s.order.side === 'buy' && s.fill).map((s) => s.fill!.price),
    rejections: out.rejections.map((r) => r.reason),
    killSwitch: out.killSwitch,
  };
}

const flat: Ohlc = [100, 100, 100, 100];

describe('risk rules in TradingCore.step', () => {
  it('a stop-loss fills inside the candle after the entry filled at its open, reason named', () => {
    const t = make(['A/USDT'], { stopLoss: 0.05, takeProfit: 0.2 });
    step(t, 0, { 'A/USDT': flat }, { 'A/USDT': 'enter' });
    const r = step(t, 1, { 'A/USDT': [100, 110, 94, 96] });
    expect(r.buys).toEqual([100]);
    expect(r.exits).toEqual(['stop_loss@95']);
    expect(t.core.account.openCount).toBe(0);
  });

  it('stops and take-profits keep working while entries are paused', () => {
    const t = make(['A/USDT', 'B/USDT'], { stopLoss: 0.05, takeProfit: 0.1 });
    step(t, 0, { 'A/USDT': flat, 'B/USDT': flat }, { 'A/USDT': 'enter', 'B/USDT': 'enter' });
    step(t, 1, { 'A/USDT': flat, 'B/USDT': flat });
    t.core.entriesPaused = true;
    const r = step(
      t,
      2,
      { 'A/USDT': [100, 101, 90, 92], 'B/USDT': [100, 111, 99, 108] },
      { 'A/USDT': 'enter' },
    );
    expect(r.exits.sort()).toEqual(['stop_loss@95', 'take_profit@110']);
    expect(r.rejections).toEqual(['entries are paused']);
  });

  it("the entry signal's own stop and target are enforced once it fills", () => {
    const t = make(['A/USDT'], {});
    step(t, 0, { 'A/USDT': flat }, { 'A/USDT': { stop: 98, target: 130 } });
    expect(step(t, 1, { 'A/USDT': [100, 101, 98.5, 99] }).exits).toEqual([]);
    expect(step(t, 2, { 'A/USDT': [99, 100, 97, 97.5] }).exits).toEqual(['stop_loss@98']);
    // a later entry without its own levels does not inherit them
    step(t, 3, { 'A/USDT': flat }, { 'A/USDT': 'enter' });
    expect(step(t, 4, { 'A/USDT': [100, 140, 50, 100] }).exits).toEqual([]);
  });

  it('a trailing stop follows the highs across candles', () => {
    const t = make(['A/USDT'], { trailingStop: 0.1, trailingActivation: 0.05 });
    step(t, 0, { 'A/USDT': flat }, { 'A/USDT': 'enter' });
    expect(step(t, 1, { 'A/USDT': [100, 104, 92, 95] }).exits).toEqual([]);
    expect(step(t, 2, { 'A/USDT': [95, 120, 94, 118] }).exits).toEqual([]);
    expect(step(t, 3, { 'A/USDT': [118, 119, 107, 110] }).exits).toEqual(['trailing_stop@108']);
  });

  it('a losing trade starts the pair cooldown; the other pair and the end of the cooldown enter again', () => {
    const t = make(['A/USDT', 'B/USDT'], { stopLoss: 0.05, cooldownMinutes: 3 });
    step(t, 0, { 'A/USDT': flat, 'B/USDT': flat }, { 'A/USDT': 'enter' });
    expect(step(t, 1, { 'A/USDT': [100, 100, 90, 91], 'B/USDT': flat }).exits).toEqual([
      'stop_loss@95',
    ]);
    const r = step(
      t,
      2,
      { 'A/USDT': flat, 'B/USDT': flat },
      { 'A/USDT': 'enter', 'B/USDT': 'enter' },
    );
    expect(r.rejections).toHaveLength(1);
    // closed at minute 1 (its candle's time) + 3 min: refused at minute 2's close (3 min), taken at minute 3's
    expect(r.rejections[0]).toMatch(/^cooldown: .*entries resume in 1 min/);
    expect(t.core.pending().map((o) => o.symbol)).toEqual(['B/USDT']);
    expect(
      step(t, 3, { 'A/USDT': flat, 'B/USDT': flat }, { 'A/USDT': 'enter' }).rejections,
    ).toEqual([]);
    expect(t.core.pending().map((o) => o.symbol)).toEqual(['A/USDT']);
  });

  it('exposure limits trim the stake and refuse when full', () => {
    const t = make(['A/USDT', 'B/USDT', 'C/USDT'], { stakeFraction: 0.4, maxTotalExposure: 0.6 });
    step(
      t,
      0,
      { 'A/USDT': flat, 'B/USDT': flat, 'C/USDT': flat },
      { 'A/USDT': 'enter', 'B/USDT': 'enter' },
    );
    expect(t.core.pending().map((o) => [o.symbol, o.amount])).toEqual([
      ['A/USDT', 4],
      ['B/USDT', 2],
    ]);
    step(t, 1, { 'A/USDT': flat, 'B/USDT': flat, 'C/USDT': flat });
    const r = step(t, 2, { 'A/USDT': flat, 'B/USDT': flat, 'C/USDT': flat }, { 'C/USDT': 'enter' });
    expect(r.rejections[0]).toMatch(/^max_exposure_total: 60\.00% of equity/);
  });

  it('the kill switch trips on the step the drawdown reaches the limit, then refuses entries', () => {
    const t = make(['A/USDT'], { stakeFraction: 1, maxDrawdown: 0.2 });
    step(t, 0, { 'A/USDT': flat }, { 'A/USDT': 'enter' });
    // all in at 100 with ~1000: 10 units (less the fee reserve); equity falls with the close
    expect(step(t, 1, { 'A/USDT': [100, 100, 85, 85] }).killSwitch).toBeNull();
    const equityAt = (close: number) =>
      t.core.account.cash + t.core.account.position('A/USDT')!.amount * close;
    // the close where equity is exactly 80 % of the 1000 peak
    const close = (800 - t.core.account.cash) / t.core.account.position('A/USDT')!.amount;
    expect(equityAt(close)).toBeCloseTo(800, 9);
    const r = step(t, 2, { 'A/USDT': [85, 85, close, close] }, { 'A/USDT': 'exit' });
    expect(r.killSwitch).toMatchObject({ peak: 1000, threshold: 0.2 });
    expect(r.killSwitch?.message).toMatch(/^kill_switch: drawdown 20\.00%/);
    expect(step(t, 3, { 'A/USDT': flat }, { 'A/USDT': 'enter' }).rejections[0]).toMatch(
      /^kill_switch: /,
    );
    expect(t.book.acknowledge()).not.toBeNull();
    expect(step(t, 4, { 'A/USDT': flat }, { 'A/USDT': 'enter' }).rejections).toEqual([]);
  });

  it('a restart from the journaled fills and risk snapshot continues exactly as the run that never stopped', () => {
    const cfg = {
      stopLoss: 0.1,
      trailingStop: 0.05,
      trailingActivation: 0.02,
      cooldownMinutes: 10,
      maxDrawdown: 0.5,
    };
    const symbols = ['A/USDT', 'B/USDT'];
    // a deterministic walk: B rises and falls back (trailing), A loses (stop, cooldown)
    const bars = (m: number): Record<string, Ohlc> => {
      const a = 100 - m * 1.7;
      const b = 100 + 20 * Math.sin(m / 4);
      return { 'A/USDT': [a + 0.5, a + 1, a - 1, a], 'B/USDT': [b - 0.3, b + 1.5, b - 1.5, b] };
    };
    const sigs = (m: number): Record<string, Sig> =>
      m % 5 === 0 ? { 'A/USDT': 'enter', 'B/USDT': 'enter' } : {};
    const whole = make(symbols, cfg);
    const first = make(symbols, cfg);
    const log = (t: ReturnType<typeof make>, from: number, to: number) => {
      const out: unknown[] = [];
      for (let m = from; m < to; m++) out.push(step(t, m, bars(m), sigs(m)));
      return out;
    };
    const a = log(whole, 0, 60);
    const b1 = log(first, 0, 23);
    // the restart: the account from the fills, the risk rules from their snapshot (through JSON)
    expect(first.core.pending()).toEqual([]);
    const snapshot = JSON.parse(JSON.stringify(first.book.snapshot()));
    const second = make(symbols, cfg, first.fills, snapshot);
    expect(second.book.state).toEqual(first.book.state);
    // the snapshot carries an open position's record and a running cooldown
    expect(first.book.state.positions['B/USDT']?.entryTs).toBe(21 * MIN);
    expect(first.book.state.cooldowns).toEqual({ 'A/USDT': 30 * MIN });
    for (const s of symbols) second.core.setPrice(s, first.core.priceOf(s)!);
    const b2 = log(second, 23, 60);
    expect([...b1, ...b2]).toEqual(a);
    expect(second.book.state).toEqual(whole.book.state);
    expect(a.flatMap((r) => (r as { exits: string[] }).exits).map((e) => e.split('@')[0])).toEqual(
      expect.arrayContaining(['stop_loss', 'trailing_stop']),
    );
  });
});
