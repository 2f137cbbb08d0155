import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotConfig, type Fill, type Order } from '../../../src/core/api/schemas.ts';
import { Journal, journalFile } from '../../../src/core/journal/journal.ts';

const dirs: string[] = [];
const journals: Journal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-runs-'));
  dirs.push(dir);
  const j = new Journal(journalFile(dir, 'paper'));
  journals.push(j);
  return j;
}

let n = 0;
function trade(side: 'buy' | 'sell', price: number, ts: number, reason = 'strategy') {
  n += 1;
  const order: Order = {
    id: `o${n}`,
    clientOrderId: `c${n}`,
    mode: 'paper',
    symbol: 'BTC/USDT',
    side,
    type: 'market',
    amount: 1,
    price,
    status: 'filled',
    reason,
    ts,
  };
  const fill: Fill = {
    id: `f${n}`,
    orderId: order.id,
    symbol: 'BTC/USDT',
    side,
    amount: 1,
    price,
    fee: 0.1,
    feeCurrency: 'USDT',
    ts,
  };
  return { orders: [order], fills: [fill] };
}

const config = BotConfig.parse({});

describe('journal runs', () => {
  it('stamps rows with the current run and filters orders, fills and equity by run', () => {
    const j = open();
    j.beginRun({ id: 'run-a', mode: 'paper', config, startedAt: 1000 });
    j.commitTick({ ...trade('buy', 100, 1), equity: { ts: 1, equity: 10_000, cash: 9900 } });
    j.commitTick({ equity: { ts: 1.5, equity: 10_001, cash: 9900 } });
    j.endRun('run-a', 2000, 'user request');
    j.beginRun({ id: 'run-b', mode: 'paper', config, startedAt: 3000 });
    j.commitTick({
      ...trade('sell', 110, 2, 'closed by the user'),
      equity: { ts: 2, equity: 10_010, cash: 10_010 },
    });

    const runs = j.runs();
    expect(runs.map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect(runs[1]).toMatchObject({
      endedAt: 2000,
      endReason: 'user request',
      orders: 1,
      fills: 1,
      // the market time its ticks covered: where an earlier run's chart is
      marketFrom: 1,
      marketTo: 1.5,
      // its first and last equity, for its PnL however many points a chart loads
      equityFrom: 10_000,
      equityTo: 10_001,
    });
    expect(runs[0]).toMatchObject({ marketFrom: 2, marketTo: 2 });
    expect(runs[0]!.endedAt).toBeNull();
    expect(j.orders(10, 'run-a').map((o) => o.id)).toEqual(['o1']);
    expect(j.fills(10, 'run-b').map((f) => f.id)).toEqual(['f2']);
    expect(j.equity(10, 'run-b').map((p) => p.equity)).toEqual([10_010]);
    expect(j.orders(10)).toHaveLength(2);

    const trades = j.trades();
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ runId: 'run-b', exitReason: 'closed by the user' });
    expect(trades[0]!.pnl).toBeCloseTo(10 - 0.2, 9);
  });

  it('a paper account reset starts cash, positions and the day baseline afresh and keeps history', () => {
    const j = open();
    j.commitTick({ ...trade('buy', 100, 1), equity: { ts: 1, equity: 9000, cash: 8900 } });
    expect(j.positions()).toHaveLength(1);
    expect(j.account({ quote: 'USDT', cash: 1000 }).cash).toBeCloseTo(1000 - 100.1, 6);
    j.resetAccount(5);
    expect(j.positions()).toEqual([]);
    expect(j.account({ quote: 'USDT', cash: 1000 }).cash).toBe(1000);
    expect(j.firstEquitySince(0)).toBeNull();
    expect(j.fills(10)).toHaveLength(1);
    // a sell after the reset does not close the abandoned position as a trade
    j.commitTick(trade('buy', 50, 6));
    j.commitTick(trade('sell', 60, 7));
    expect(j.trades()).toHaveLength(1);
    expect(j.trades()[0]!.entryPrice).toBe(50);
  });
});
