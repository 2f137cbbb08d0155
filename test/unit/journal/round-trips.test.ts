import { describe, expect, it } from 'vitest';
import { pageTrades, roundTrips, type JournalFill } from '../../../src/core/journal/round-trips.ts';

let n = 0;
function f(
  symbol: string,
  side: 'buy' | 'sell',
  amount: number,
  price: number,
  ts: number,
  extra: Partial<JournalFill> = {},
): JournalFill {
  n += 1;
  return {
    id: `f${n}`,
    orderId: `o${n}`,
    symbol,
    side,
    amount,
    price,
    fee: 1,
    feeCurrency: 'USDT',
    ts,
    runId: 'r1',
    reason: side === 'buy' ? 'strategy entry' : 'strategy exit',
    ...extra,
  };
}

describe('roundTrips', () => {
  it('derives a closed trade from an entry and an exit, PnL net of both fees', () => {
    const { closed, open } = roundTrips([
      f('BTC/USDT', 'buy', 2, 100, 1000),
      f('BTC/USDT', 'sell', 2, 110, 61_000, { runId: 'r2', reason: 'closed by the user' }),
    ]);
    expect(open.size).toBe(0);
    expect(closed).toHaveLength(1);
    const t = closed[0]!;
    expect(t.entryPrice).toBe(100);
    expect(t.exitPrice).toBe(110);
    expect(t.pnl).toBeCloseTo(20 - 2, 9);
    expect(t.pnlPct).toBeCloseTo(18 / 200, 9);
    expect(t.durationMs).toBe(60_000);
    expect(t.exitReason).toBe('closed by the user');
    expect(t.runId).toBe('r2');
  });

  it('averages partial entries and exits and keeps a trade open until flat', () => {
    const fills = [
      f('ETH/USDT', 'buy', 1, 10, 1),
      f('ETH/USDT', 'buy', 1, 20, 2),
      f('ETH/USDT', 'sell', 1, 30, 3),
    ];
    const partial = roundTrips(fills);
    expect(partial.closed).toHaveLength(0);
    expect(partial.open.get('ETH/USDT')?.openedAt).toBe(1);
    const done = roundTrips([...fills, f('ETH/USDT', 'sell', 1, 40, 4)]);
    expect(done.closed[0]!.entryPrice).toBe(15);
    expect(done.closed[0]!.exitPrice).toBe(35);
    expect(done.closed[0]!.pnl).toBeCloseTo(70 - 30 - 4, 9);
  });

  it('abandons a position open at a paper account reset instead of closing it', () => {
    const buy = f('BTC/USDT', 'buy', 1, 100, 1);
    const { closed, open } = roundTrips([buy, f('BTC/USDT', 'sell', 1, 90, 2)], new Set([buy.id]));
    expect(closed).toHaveLength(0);
    expect(open.size).toBe(0);
  });
});

describe('pageTrades', () => {
  const { closed } = roundTrips([
    f('BTC/USDT', 'buy', 1, 100, 1),
    f('BTC/USDT', 'sell', 1, 120, 2),
    f('ETH/USDT', 'buy', 1, 100, 3),
    f('ETH/USDT', 'sell', 1, 90, 4),
    f('BTC/USDT', 'buy', 1, 100, 5, { runId: 'r9' }),
    f('BTC/USDT', 'sell', 1, 130, 6, { runId: 'r9' }),
  ]);

  it('pages newest first with the filtered total', () => {
    const page = pageTrades(closed, { offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.trades.map((t) => t.closedAt)).toEqual([6, 4]);
    expect(pageTrades(closed, { offset: 2, limit: 2 }).trades.map((t) => t.closedAt)).toEqual([2]);
  });

  it('filters by run, symbol and outcome', () => {
    expect(pageTrades(closed, { runId: 'r9', offset: 0, limit: 10 }).total).toBe(1);
    expect(pageTrades(closed, { symbol: 'ETH/USDT', offset: 0, limit: 10 }).total).toBe(1);
    const losses = pageTrades(closed, { outcome: 'loss', offset: 0, limit: 10 });
    expect(losses.trades.map((t) => t.symbol)).toEqual(['ETH/USDT']);
    expect(pageTrades(closed, { outcome: 'win', offset: 0, limit: 10 }).wins).toBe(2);
  });
});
