/**
 * The allocation-free forms the single-pair backtest uses — decide refilling a given
 * decision, Account.apply writing into a given round trip, fillMarketOrderInto — give the
 * very answers of the allocating forms, call after call (arrays growing and shrinking).
 */
import { describe, expect, it } from 'vitest';
import { RiskConfig } from '../../../src/core/api/schemas.ts';
import { Account, emptyRoundTrip } from '../../../src/core/trading/account.ts';
import {
  decide,
  type Decision,
  type DecideSignal,
  type DecideState,
} from '../../../src/core/trading/decide.ts';
import {
  emptyFill,
  fillMarketOrder,
  fillMarketOrderInto,
  type MarketOrder,
} from '../../../src/core/trading/fill-model.ts';
import { mulberry32 } from '../../fixtures/strategies/candles.ts';

const risk = RiskConfig.parse({ stakeFraction: 0.3, maxOpenPositions: 2, maxDailyLoss: 0.05 });
const fill = { feeRate: 0.001, slippageBps: 5 };
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'DOGE/USDT'];
const ACTIONS: DecideSignal['action'][] = ['enter_long', 'exit', 'enter_long'];

describe('allocation-free forms of the trading core', () => {
  it('decide with an out decision answers as decide without, over 3000 random decisions', () => {
    const rand = mulberry32(5);
    const a = new Account({ quote: 'USDT', cash: 10_000 });
    const out: Decision = { intents: [], rejections: [] };
    const prices = new Map(SYMBOLS.map((s) => [s, 50] as [string, number]));
    const priceOf = (s: string) => prices.get(s);
    let counts = 0;
    for (let i = 0; i < 3000; i++) {
      for (const s of SYMBOLS) prices.set(s, prices.get(s)! * (1 + (rand() - 0.5) * 0.05));
      const signals: DecideSignal[] = [];
      for (const s of SYMBOLS)
        if (rand() < 0.6)
          signals.push({ symbol: s, action: ACTIONS[Math.floor(rand() * 3)]!, strength: rand() });
      const state: DecideState = {
        entriesPaused: rand() < 0.05,
        dayStartEquity: rand() < 0.1 ? 20_000 : 0,
        pending: rand() < 0.2 ? [{ symbol: SYMBOLS[0]!, side: 'buy', amount: 1 }] : [],
      };
      const fresh = decide(signals, a, priceOf, { risk, fill }, state);
      const reused = decide(signals, a, priceOf, { risk, fill }, state, out);
      expect(reused).toBe(out);
      expect(reused).toEqual(fresh);
      // Without entry reasons: the same orders, only the entries' reasons left empty.
      const quiet = decide(signals, a, priceOf, { risk, fill, entryReasons: false }, state);
      expect(quiet).toEqual({
        intents: fresh.intents.map((t) => (t.side === 'buy' ? { ...t, reason: '' } : t)),
        rejections: fresh.rejections,
      });
      counts += fresh.intents.length + fresh.rejections.length;
      // Act on the decision so positions open and close.
      for (const t of fresh.intents) {
        const r = fillMarketOrder(t, priceOf(t.symbol)!, a, a.rules(t.symbol), fill, i);
        if (r.ok) a.apply(r.fill);
      }
    }
    expect(counts).toBeGreaterThan(3000);
  });

  it('Account.apply into a given round trip and fillMarketOrderInto answer as the allocating forms', () => {
    const rand = mulberry32(9);
    const fresh = new Account({ quote: 'USDT', cash: 1e6 });
    const reused = new Account({ quote: 'USDT', cash: 1e6 });
    const into = emptyFill('');
    const roundTrip = emptyRoundTrip();
    let closed = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const symbol = SYMBOLS[Math.floor(rand() * 3)]!;
      const held = fresh.position(symbol);
      const sell = held !== undefined && rand() < 0.5;
      // Sells of all or half the holding (a sell under half a step is another matter).
      const amount = sell
        ? held.amount / (rand() < 0.7 ? 1 : 2)
        : rand() < 0.02
          ? 1e-12
          : 10 ** (rand() * 12 - 4);
      const order: MarketOrder = { symbol, side: sell ? 'sell' : 'buy', amount };
      const price = 10 ** (rand() * 8 - 6);
      const r = fillMarketOrder(order, price, fresh, fresh.rules(symbol), fill, i);
      const why = fillMarketOrderInto(order, price, reused, reused.rules(symbol), fill, i, into);
      if (!r.ok) {
        refused++;
        expect(why).toBe(r.reason);
        continue;
      }
      expect(why).toBeNull();
      expect(into).toEqual(r.fill);
      const t = fresh.apply(r.fill);
      const u = reused.apply(into, roundTrip);
      if (t === null) expect(u).toBeNull();
      else {
        closed++;
        expect(u).toBe(roundTrip);
        expect(u).toEqual(t);
      }
      expect(reused.cash).toBe(fresh.cash);
      expect([...reused.positions()]).toEqual([...fresh.positions()]);
    }
    expect(closed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
  });
});
