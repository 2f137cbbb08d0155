import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { Fill, Order } from '../../../src/core/api/schemas.ts';
import { Journal, journalFile } from '../../../src/core/journal/journal.ts';

const dirs: string[] = [];
const journals: Journal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): { j: Journal; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-journal-'));
  dirs.push(dir);
  const j = new Journal(journalFile(dir, 'paper'));
  journals.push(j);
  return { j, dir };
}

function order(
  id: string,
  side: 'buy' | 'sell',
  amount: number,
  price: number,
  status: Order['status'] = 'filled',
): Order {
  return {
    id,
    clientOrderId: `c-${id}`,
    mode: 'paper',
    symbol: 'BTC/USDT',
    side,
    type: 'market',
    amount,
    price,
    status,
    reason: 'test',
    ts: 1,
  };
}
function fill(o: Order, fee = 0): Fill {
  return {
    id: `${o.id}-1`,
    orderId: o.id,
    symbol: o.symbol,
    side: o.side,
    amount: o.amount,
    price: o.price!,
    fee,
    feeCurrency: 'USDT',
    ts: 1,
  };
}

describe('Journal', () => {
  it('uses WAL with synchronous FULL, records migrations and keeps paper and live in separate files', () => {
    const { j, dir } = open();
    expect(j.migrations()).toEqual([1, 2, 3, 4]);
    const db = new DatabaseSync(j.file);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe(
      'wal',
    );
    db.close();
    // A committed tick (a fill the user was told about) survives an OS crash, not just a process crash.
    expect(j.synchronousLevel()).toBe(2);
    expect(journalFile(dir, 'live')).not.toBe(journalFile(dir, 'paper'));
    const again = new Journal(j.file);
    journals.push(again);
    expect(again.migrations()).toEqual([1, 2, 3, 4]);
  });

  it('checkpoints on its background thread, never inside a commit, and the last close leaves no WAL', async () => {
    const { j } = open();
    // The tick's connection never checkpoints by itself: a commit only appends to the WAL and fsyncs it.
    expect(j.autoCheckpointPages()).toBe(0);
    for (let t = 0; t < 30; t++) {
      const o = order(`o${t}`, 'buy', 1, 100);
      j.commitTick({ orders: [o], fills: [fill(o)] });
    }
    await expect.poll(() => j.checkpoints, { timeout: 10_000 }).toBeGreaterThan(0);
    // Commits after checkpoints keep landing (the WAL starts over once it was copied back).
    for (let t = 30; t < 60; t++) {
      const o = order(`o${t}`, 'buy', 1, 100);
      j.commitTick({ orders: [o], fills: [fill(o)] });
    }
    j.close();
    expect(existsSync(`${j.file}-wal`)).toBe(false);
    const again = new Journal(j.file);
    journals.push(again);
    expect(again.fills(1000)).toHaveLength(60);
  });

  it('open orders are found through a partial index that holds only open orders', () => {
    const { j } = open();
    j.commitTick({ orders: [order('a', 'buy', 1, 100, 'open'), order('b', 'buy', 1, 100)] });
    expect(j.openOrders().map((o) => o.id)).toEqual(['a']);
    const db = new DatabaseSync(j.file);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM orders WHERE status = 'open' ORDER BY seq`)
      .all()
      .map((r) => String((r as { detail: string }).detail))
      .join(' ');
    const indexed = (
      db.prepare(`SELECT COUNT(*) AS n FROM pragma_index_info('orders_open')`).get() as {
        n: number;
      }
    ).n;
    db.close();
    expect(plan).toMatch(/orders_open/);
    expect(indexed).toBe(1);
  });

  it('commits a tick in one transaction and derives positions from fills', () => {
    const { j } = open();
    const b1 = order('o1', 'buy', 2, 100);
    const b2 = order('o2', 'buy', 2, 200);
    j.commitTick({
      orders: [b1, b2],
      fills: [fill(b1, 0.2), fill(b2, 0.4)],
      equity: { ts: 1, equity: 1000, cash: 400 },
      events: [{ ts: 1, kind: 'signal', payload: { a: 1 } }],
    });
    const [p] = j.positions((s) => (s === 'BTC/USDT' ? 160 : undefined));
    expect(p).toMatchObject({ symbol: 'BTC/USDT', amount: 4, avgPrice: 150, lastPrice: 160 });
    expect(p!.unrealizedPnl).toBeCloseTo(40, 9);
    expect(p!.realizedPnl).toBeCloseTo(-0.6, 9);
    const s1 = order('o3', 'sell', 4, 175);
    j.commitTick({ orders: [s1], fills: [fill(s1, 0.7)] });
    expect(j.positions()).toEqual([]);
    expect(j.cashFlow()).toBeCloseTo(700 - 600 - 1.3, 9);
    expect(j.orders(10).map((o) => o.id)).toEqual(['o3', 'o2', 'o1']);
    expect(j.fills(2).map((f) => f.id)).toEqual(['o3-1', 'o2-1']);
    expect(j.equity(10)).toEqual([{ ts: 1, equity: 1000, cash: 400 }]);
    expect(j.events(10)[0]).toEqual({ ts: 1, kind: 'signal', payload: { a: 1 } });
  });

  it('account() replays the fills of one quote into the bot account: cash from the starting balance, positions in whole steps', () => {
    const { j } = open();
    const b = order('o1', 'buy', 2, 100);
    const other = { ...order('o2', 'buy', 10, 0.05), symbol: 'ETH/BTC' };
    j.commitTick({ orders: [b, other], fills: [fill(b, 0.2), fill(other)] });
    const account = j.account({ quote: 'USDT', cash: 1000 });
    expect(account.cash).toBeCloseTo(1000 - 200.2, 9);
    expect(account.position('BTC/USDT')).toMatchObject({ amount: 2, steps: 200_000_000n });
    expect(account.position('ETH/BTC')).toBeUndefined();
    expect(account.cash).toBeCloseTo(1000 + j.cashFlow('USDT'), 9);
  });

  it('a journal from before whole-step amounts: its dust and float-hair sells read back without locking the pair', () => {
    const { j } = open();
    // The old dust bug: 629683.26931553 bought, one step less sold; then a sell a float hair over the holding.
    const b1 = { ...order('o1', 'buy', 629683.26931553, 0.0015882), symbol: 'DOGE/USDT' };
    const s1 = { ...order('o2', 'sell', 629683.26931552, 0.0015882), symbol: 'DOGE/USDT' };
    const b2 = order('o3', 'buy', 0.3, 100);
    const s2 = order('o4', 'sell', 0.30000000000000004, 100);
    j.commitTick({ orders: [b1, s1, b2, s2], fills: [fill(b1), fill(s1), fill(b2), fill(s2)] });
    const account = j.account({ quote: 'USDT', cash: 10_000 });
    // The step of dust left is a real (sellable) position of one step, not a lock.
    expect(account.position('DOGE/USDT')).toMatchObject({ steps: 1n, amount: 1e-8 });
    expect(account.position('BTC/USDT')).toBeUndefined();
    expect(account.cash).toBeCloseTo(10_000 + j.cashFlow('USDT'), 9);
  });

  it('cashFlow(quote) counts only the fills quoted in that currency', () => {
    const { j } = open();
    const usdt = order('o1', 'buy', 2, 100);
    const btc = { ...order('o2', 'buy', 10, 0.05), symbol: 'ETH/BTC' };
    j.commitTick({ orders: [usdt, btc], fills: [fill(usdt, 0.2), { ...fill(btc), fee: 0.001 }] });
    expect(j.cashFlow('USDT')).toBeCloseTo(-200.2, 9);
    expect(j.cashFlow('BTC')).toBeCloseTo(-0.501, 9);
    expect(j.cashFlow('EUR')).toBe(0);
    expect(j.cashFlow()).toBeCloseTo(-200.701, 9);
  });

  it('firstEquitySince finds the equity a day started with', () => {
    const { j } = open();
    j.commitTick({ equity: { ts: 50, equity: 900, cash: 900 } });
    j.commitTick({ equity: { ts: 120, equity: 1000, cash: 1000 } });
    j.commitTick({ equity: { ts: 150, equity: 950, cash: 950 } });
    expect(j.firstEquitySince(100)).toEqual({ ts: 120, equity: 1000, cash: 1000 });
    expect(j.firstEquitySince(200)).toBeNull();
  });

  it('a commit waits for another process that briefly holds the write lock instead of failing', async () => {
    const { j } = open();
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { DatabaseSync } = require('node:sqlite');
         const db = new DatabaseSync(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
         db.exec('COMMIT');`,
        j.file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => holder.once('exit', r));
    await new Promise((r) => holder.stdout.once('data', r));
    const b = order('o1', 'buy', 1, 100);
    expect(() => j.commitTick({ orders: [b], fills: [fill(b)] })).not.toThrow();
    expect(j.fills(10)).toHaveLength(1);
    await exited;
  });

  it('a failing tick commits nothing (JOURNAL_ERROR) and the journal stays usable', () => {
    const { j } = open();
    const good = order('o1', 'buy', 1, 100);
    const orphan: Fill = { ...fill(good), id: 'x', orderId: 'no-such-order' };
    const err = (() => {
      try {
        j.commitTick({ orders: [good], fills: [orphan], equity: { ts: 1, equity: 1, cash: 1 } });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BotDeskError);
    expect((err as BotDeskError).code).toBe('JOURNAL_ERROR');
    expect(j.orders(10)).toEqual([]);
    expect(j.equity(10)).toEqual([]);
    j.commitTick({ orders: [good], fills: [fill(good)] });
    expect(j.fills(10)).toHaveLength(1);
  });

  it('updates an order status in place and lists open orders', () => {
    const { j } = open();
    const o = order('o1', 'buy', 1, 100, 'open');
    j.commitTick({ orders: [o] });
    expect(j.openOrders().map((x) => x.id)).toEqual(['o1']);
    j.commitTick({ orders: [{ ...o, status: 'canceled', reason: 'gone' }] });
    expect(j.openOrders()).toEqual([]);
    expect(j.orders(10)).toEqual([{ ...o, status: 'canceled', reason: 'gone' }]);
  });

  it('returns the last N equity points oldest first', () => {
    const { j } = open();
    for (let i = 0; i < 5; i++) j.commitTick({ equity: { ts: i, equity: 100 + i, cash: 0 } });
    expect(j.equity(2).map((p) => p.ts)).toEqual([3, 4]);
  });

  it('refuses to open an unusable file with JOURNAL_ERROR', () => {
    expect(() => new Journal('/nonexistent-dir/x/journal.sqlite')).toThrow(/JOURNAL|journal open/);
  });
});
