/**
 * An exchange's order rules in the trading core: entries sized and refused at the decision,
 * buys floored to the exchange's step at the fill, and a journal recorded with a finer step
 * replayed exactly (a finer hold step), its positions then traded on the exchange's step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RiskConfig, type Fill, type Order } from '../../../src/core/api/schemas.ts';
import { Journal } from '../../../src/core/journal/journal.ts';
import { Account } from '../../../src/core/trading/account.ts';
import { decide, type DecideState } from '../../../src/core/trading/decide.ts';
import { fillMarketOrder } from '../../../src/core/trading/fill-model.ts';
import {
  compileRules,
  decimalPlaces,
  exchangeRulesTable,
  holdingFor,
} from '../../../src/core/trading/market-rules.ts';

const BTC = { amountStep: 0.00001, priceStep: 0.01, minAmount: 0.00001, minCost: 5 };
const rules = exchangeRulesTable({ 'BTC/USDT': BTC });
const model = { feeRate: 0.001, slippageBps: 0 };
const state: DecideState = { entriesPaused: false, dayStartEquity: 0, pending: [] };

/** A market order on BTC/USDT at 60 000 through the fill model, with the account's rules. */
const fillAt = (account: Account, side: 'buy' | 'sell', amount: number) =>
  fillMarketOrder(
    { symbol: 'BTC/USDT', side, amount },
    60_000,
    account,
    account.rules('BTC/USDT'),
    model,
    1,
  );

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('exchange rules', () => {
  it('decimalPlaces and holdingFor: a finer hold step only when recorded amounts need one', () => {
    expect([0.00012, 1e-10, 1.5e-9, 5, 0.5, 123.456].map(decimalPlaces)).toEqual([
      5, 10, 10, 0, 1, 3,
    ]);
    const r = rules('BTC/USDT');
    expect(holdingFor(r, [0.00033, 1, 0.1])).toBe(r);
    const fine = holdingFor(r, [0.00033, 0.00012345]);
    expect(fine.holdStep).toBe(1e-8);
    expect(fine.amountStep).toBe(BTC.amountStep);
    expect(fine.orderScale).toBe(r.orderScale);
    // A step of 5 units and a recorded 0.5: tenths hold both.
    expect(holdingFor(compileRules({ amountStep: 5, fromExchange: true }), [0.5]).holdStep).toBe(
      0.1,
    );
  });

  it('decide: an entry is floored to the step, and one under the minimum cost is refused by rule', () => {
    const risk = RiskConfig.parse({ sizing: 'fixed_quote', stakeAmount: 20, maxOpenPositions: 3 });
    const account = new Account({ quote: 'USDT', cash: 1000, rules });
    const at = (p: number) => () => p;
    const sig = { symbol: 'BTC/USDT', action: 'enter_long' as const, strength: 1 };
    const ok = decide([sig], account, at(60_000), { risk, fill: model }, state);
    expect(ok.intents.map((i) => i.amount)).toEqual([0.00033]);
    // 20 USDT of a 60,000,000 coin is under one step: the minimum amount.
    const tiny = decide([sig], account, at(60_000_000), { risk, fill: model }, state);
    expect(tiny.rejections[0]).toMatchObject({ rule: 'min_amount' });
    const small = decide(
      [sig],
      account,
      at(60_000),
      { risk: { ...risk, stakeAmount: 4 }, fill: model },
      state,
    );
    expect(small.intents).toEqual([]);
    expect(small.rejections[0]).toMatchObject({ rule: 'min_cost' });
    expect(small.rejections[0]!.reason).toMatch(/^min_cost: order value .* below the minimum 5$/);
    // Without an exchange's rules (simulated market) nothing is refused for it.
    const plain = decide(
      [sig],
      new Account({ quote: 'USDT', cash: 1000 }),
      at(60_000),
      { risk: { ...risk, stakeAmount: 4 }, fill: model },
      state,
    );
    expect(plain.intents).toHaveLength(1);
  });

  it('the fill model buys whole exchange steps and refuses one under the minimum cost at the fill', () => {
    const account = new Account({ quote: 'USDT', cash: 1000, rules });
    const buy = fillAt(account, 'buy', 0.000339);
    expect(buy).toMatchObject({ ok: true, fill: { amount: 0.00033, steps: 33n } });
    const under = fillAt(account, 'buy', 0.00008);
    expect(under).toEqual({ ok: false, reason: expect.stringMatching(/^min_cost: /) as string });
  });

  it('a journal recorded at the 1e-8 step replays exactly under the exchange step, then trades on it without dust', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-rules-'));
    dirs.push(dir);
    const j = new Journal(join(dir, 'journal-paper.sqlite'));
    try {
      const order = (id: string, side: 'buy' | 'sell', amount: number): Order => ({
        id,
        clientOrderId: id,
        mode: 'paper',
        symbol: 'BTC/USDT',
        side,
        type: 'market',
        amount,
        price: 60_000,
        status: 'filled',
        reason: 'test',
        ts: 1,
      });
      const fill = (o: Order): Fill => ({
        id: `${o.id}-f`,
        orderId: o.id,
        symbol: o.symbol,
        side: o.side,
        amount: o.amount,
        price: 60_000,
        fee: 0.01,
        feeCurrency: 'USDT',
        ts: 1,
      });
      // Recorded before the exchange's rules were known: amounts off its 0.00001 step.
      const recorded = [order('a', 'buy', 0.00012345), order('b', 'sell', 0.00000045)];
      j.commitTick({ orders: recorded, fills: recorded.map(fill) });
      const account = j.account({ quote: 'USDT', cash: 1000, rules });
      expect(account.position('BTC/USDT')!.amount).toBe(0.000123);
      expect(account.cash).toBe(1000 + j.cashFlow('USDT'));
      // New orders go on the exchange's step; the position stays exact.
      const r = account.rules('BTC/USDT');
      expect(r.holdStep).toBe(1e-8);
      const buy = fillAt(account, 'buy', 0.000339);
      expect(buy.ok && buy.fill.amount).toBe(0.00033);
      account.apply(buy.ok ? buy.fill : (undefined as never));
      expect(account.position('BTC/USDT')!.amount).toBe(0.000453);
      // Selling the position sells all of it: nothing left over.
      const sell = fillAt(account, 'sell', 0.000453);
      expect(sell.ok && sell.fill.amount).toBe(0.000453);
      account.apply(sell.ok ? sell.fill : (undefined as never));
      expect(account.position('BTC/USDT')).toBeUndefined();
      // The default rules' replay (no exchange known) reads the same position.
      expect(j.account({ quote: 'USDT', cash: 0 }).position('BTC/USDT')!.amount).toBe(0.000123);
    } finally {
      j.close();
    }
  });
});
