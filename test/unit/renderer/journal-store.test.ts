import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/api/schemas.ts';
import {
  createJournalStore,
  MAX_NOTICES,
  MAX_ROWS,
} from '../../../src/renderer/src/state/journal-store.ts';
import { botStatus, order as orderOf } from './fixtures.ts';

const order = (id: string, ts: number, status: Order['status'] = 'open') =>
  orderOf({ id, clientOrderId: `c-${id}`, ts, status });

describe('journal store', () => {
  it('lists orders newest first and updates a known order in place', () => {
    const store = createJournalStore();
    store.getState().applyOrder(order('a', 1));
    store.getState().applyOrder(order('b', 2));
    store.getState().applyOrder(order('a', 1, 'filled'));
    expect(store.getState().orders.map((o) => `${o.id}:${o.status}`)).toEqual([
      'b:open',
      'a:filled',
    ]);
  });

  it('merges the snapshot with what was pushed meanwhile, without duplicates', () => {
    const store = createJournalStore();
    store.getState().applyOrder(order('c', 3, 'filled'));
    store.getState().applyEquity({ ts: 30, equity: 103, cash: 0 });
    store.getState().applySnapshot({
      orders: [order('c', 3, 'open'), order('b', 2), order('a', 1)],
      fills: [],
      equity: [
        { ts: 10, equity: 101, cash: 0 },
        { ts: 20, equity: 102, cash: 0 },
        { ts: 30, equity: 103, cash: 0 },
      ],
      logs: [],
    });
    const s = store.getState();
    expect(s.orders.map((o) => `${o.id}:${o.status}`)).toEqual(['c:filled', 'b:open', 'a:open']);
    expect(s.equity.map((p) => p.ts)).toEqual([10, 20, 30]);
  });

  it('caps rows, keeps equity and logs in time order', () => {
    const store = createJournalStore();
    for (let i = 0; i < MAX_ROWS + 3; i++) store.getState().applyOrder(order(`o${i}`, i));
    expect(store.getState().orders).toHaveLength(MAX_ROWS);
    expect(store.getState().orders[0]!.id).toBe(`o${MAX_ROWS + 2}`);
    store.getState().applyLog({ ts: 5, level: 'info', scope: 'bot', message: 'b' });
    store.getState().applyLog({ ts: 4, level: 'info', scope: 'bot', message: 'a' });
    expect(store.getState().logs.map((l) => l.message)).toEqual(['a', 'b']);
  });

  it('keeps the latest error notices, newest first, and dismisses one', () => {
    const store = createJournalStore();
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];
    for (let i = 0; i < MAX_NOTICES + 2; i++)
      store.getState().applyError({ code: 'STRATEGY_ERROR', message: words[i]! }, i);
    const notices = store.getState().notices;
    expect(notices.map((n) => n.message)).toEqual(['six', 'five', 'four', 'three', 'two']);
    store.getState().dismissNotice(5);
    expect(store.getState().notices.map((n) => n.message)).toEqual(['six', 'four', 'three', 'two']);
  });

  it('counts a repeated error on one notice instead of piling up duplicates', () => {
    const store = createJournalStore();
    const error = (n: number) => ({
      code: 'MARKET_ERROR' as const,
      message: `${n} ticks failed in a row`,
      symbol: 'BTC/USDT',
    });
    store.getState().applyError(error(1), 10);
    store.getState().applyError({ code: 'STRATEGY_ERROR', message: 'other' }, 11);
    store.getState().applyError(error(2), 12);
    store.getState().applyError(error(3), 13);
    const notices = store.getState().notices;
    expect(notices.map((n) => `${n.message}×${n.count}`)).toEqual([
      '3 ticks failed in a row×3',
      'other×1',
    ]);
  });

  it('drops notices whose cause is gone: a new run, a healthy pair, a lifted risk block', () => {
    const store = createJournalStore();
    store
      .getState()
      .applyError({ code: 'MARKET_ERROR', message: 'feed down', symbol: 'ETH/USDT' }, 0);
    store.getState().applyError({ code: 'RISK_REJECTED', message: 'entries blocked' }, 0);
    store.getState().applyError({ code: 'COMPUTE_ERROR', message: 'worker restarted' }, 0);
    const blocked = botStatus({
      runId: 'r1',
      riskBlock: { rule: 'daily-loss', reason: 'daily loss', since: 0 },
      pairs: [{ symbol: 'ETH/USDT', state: 'degraded', consecutiveFailures: 1 }],
    });
    store.getState().pruneNotices(blocked, blocked, 10_000);
    expect(store.getState().notices).toHaveLength(3);
    const healthy = botStatus({
      runId: 'r1',
      riskBlock: null,
      pairs: [{ symbol: 'ETH/USDT', state: 'ok', consecutiveFailures: 0 }],
    });
    store.getState().pruneNotices(blocked, healthy, 1000);
    // the pair recovered only a moment ago: its notice stays a little while
    expect(store.getState().notices.map((n) => n.code)).toEqual(['COMPUTE_ERROR', 'MARKET_ERROR']);
    store.getState().pruneNotices(healthy, healthy, 10_000);
    expect(store.getState().notices.map((n) => n.code)).toEqual(['COMPUTE_ERROR']);
    store.getState().pruneNotices(healthy, botStatus({ runId: 'r2' }), 10_000);
    expect(store.getState().notices).toEqual([]);
  });

  it('remembers the last tick', () => {
    const store = createJournalStore();
    const tick = {
      n: 3,
      ts: 1,
      durationMs: 4,
      candles: 2,
      signals: 0,
      orders: 0,
      fills: 0,
      failedPairs: [],
    };
    store.getState().applyTick(tick);
    expect(store.getState().lastTick).toEqual(tick);
  });
});
