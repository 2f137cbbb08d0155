import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTIFICATIONS,
  type BotStatus,
  type NotificationSettings,
} from '../../../src/core/api/schemas.ts';
import { NotifyPolicy } from '../../../src/main/notify-policy.ts';
import { botStatus, fill } from '../renderer/fixtures.ts';

function policy(switches: Partial<NotificationSettings> = {}) {
  const settings = { ...DEFAULT_NOTIFICATIONS, ...switches };
  return {
    settings,
    p: new NotifyPolicy({ settings: () => settings, fillWindowMs: 10_000, errorWindowMs: 60_000 }),
  };
}

const block = (rule: string, reason = `${rule} reached`): BotStatus['riskBlock'] => ({
  rule,
  reason,
  since: 1,
});

describe('notification policy: fills', () => {
  it('shows a lone fill at once, with side, amount, symbol, price and fee', () => {
    const { p } = policy();
    expect(p.observe({ type: 'fill', fill: fill({ amount: 0.25, price: 43_210.5 }) }, 0)).toEqual([
      {
        kind: 'fills',
        title: 'Bought 0.25 BTC',
        body: 'BTC/USDT at 43210.5 USDT · fee 0.01 USDT',
      },
    ]);
  });

  it('turns a burst of 200 fills into one notification plus one summary when the window ends', () => {
    const { p } = policy();
    const shown = [];
    for (let i = 0; i < 200; i++) {
      const side = i % 3 === 0 ? 'sell' : 'buy';
      const symbol = i % 2 === 0 ? 'BTC/USDT' : 'ETH/USDT';
      shown.push(...p.observe({ type: 'fill', fill: fill({ id: `f${i}`, side, symbol }) }, i * 10));
    }
    expect(shown).toHaveLength(1);
    expect(p.nextDueAt()).toBe(10_000);
    expect(p.due(9_999)).toEqual([]);
    const [summary, ...rest] = p.due(10_000);
    expect(rest).toEqual([]);
    expect(summary?.title).toBe('199 more fills');
    // 199 held: i = 1..199; BTC at even i (99 of them), ETH at odd i (100)
    expect(summary?.body).toMatch(
      /^ETH\/USDT: \d+ buys, \d+ sells · BTC\/USDT: \d+ buys, \d+ sells$/,
    );
    const counts = [...summary!.body.matchAll(/(\d+) (buys|sells)/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(199);
    expect(p.nextDueAt()).toBeNull();
  });

  it('after a quiet window the next fill is shown at once again', () => {
    const { p } = policy();
    expect(p.observe({ type: 'fill', fill: fill() }, 0)).toHaveLength(1);
    expect(p.observe({ type: 'fill', fill: fill({ id: 'f2' }) }, 5_000)).toEqual([]);
    expect(p.due(10_000)).toHaveLength(1); // summary of 1, opens a new window
    expect(p.due(20_000)).toEqual([]); // nothing held: the window closes
    expect(p.observe({ type: 'fill', fill: fill({ id: 'f3', side: 'sell' }) }, 20_001)).toEqual([
      expect.objectContaining({ title: 'Sold 0.1 BTC' }),
    ]);
  });

  it('says nothing about fills when they are switched off', () => {
    const { p } = policy({ fills: false });
    expect(p.observe({ type: 'fill', fill: fill() }, 0)).toEqual([]);
    p.observe({ type: 'fill', fill: fill({ id: 'f2' }) }, 1);
    expect(p.due(10_000)).toEqual([]);
  });
});

describe('notification policy: risk blocks, kill switch, errors', () => {
  it('notifies a risk block once when it appears and once when it clears', () => {
    const { p } = policy();
    const running = (riskBlock: BotStatus['riskBlock']) =>
      p.observe({ type: 'status', status: botStatus({ state: 'running', riskBlock }) }, 0);
    expect(running(null)).toEqual([]);
    expect(running(block('daily-loss', 'daily loss 5.2% ≥ 5%'))).toEqual([
      {
        kind: 'riskBlocks',
        title: 'Entries blocked: daily loss limit',
        body: 'daily loss 5.2% ≥ 5%',
      },
    ]);
    expect(running(block('daily-loss', 'daily loss 5.3% ≥ 5%'))).toEqual([]);
    expect(running(null)).toEqual([
      expect.objectContaining({ kind: 'riskBlocks', title: 'Entries allowed again' }),
    ]);
  });

  it('the kill switch has its own switch', () => {
    const on = policy();
    const status = botStatus({
      state: 'running',
      riskBlock: block('kill-switch', 'kill switch engaged'),
    });
    expect(on.p.observe({ type: 'status', status }, 0)).toEqual([
      {
        kind: 'killSwitch',
        title: 'Kill switch: new entries stopped',
        body: 'kill switch engaged',
      },
    ]);
    const off = policy({ killSwitch: false });
    expect(off.p.observe({ type: 'status', status }, 0)).toEqual([]);
    const blocksOff = policy({ riskBlocks: false });
    expect(blocksOff.p.observe({ type: 'status', status }, 0)).toHaveLength(1);
  });

  it('a stop is not a block clearing', () => {
    const { p } = policy();
    p.observe(
      {
        type: 'status',
        status: botStatus({ state: 'running', riskBlock: block('max-positions') }),
      },
      0,
    );
    expect(p.observe({ type: 'status', status: botStatus({ state: 'stopped' }) }, 1)).toEqual([]);
  });

  it('notifies the bot entering the error state, not an error state seen at startup', () => {
    const { p } = policy();
    const error = { code: 'MARKET_ERROR', message: 'feed lost' };
    expect(p.observe({ type: 'status', status: botStatus({ state: 'error', error }) }, 0)).toEqual(
      [],
    );
    p.observe({ type: 'status', status: botStatus({ state: 'running' }) }, 1);
    expect(p.observe({ type: 'status', status: botStatus({ state: 'error', error }) }, 2)).toEqual([
      { kind: 'errors', title: 'The bot stopped with an error', body: 'feed lost' },
    ]);
  });

  it('shows the same error at most once a minute, and not at all when errors are off', () => {
    const { p } = policy();
    const e = {
      type: 'error',
      code: 'PAIR_FAILED',
      message: 'strategy threw',
      symbol: 'ETH/USDT',
    } as const;
    expect(p.observe(e, 0)).toEqual([
      { kind: 'errors', title: 'BotDesk error (ETH/USDT)', body: 'strategy threw' },
    ]);
    expect(p.observe(e, 30_000)).toEqual([]);
    expect(p.observe({ ...e, symbol: 'BTC/USDT' }, 30_000)).toHaveLength(1);
    expect(p.observe(e, 60_000)).toHaveLength(1);
    expect(policy({ errors: false }).p.observe(e, 0)).toEqual([]);
  });

  it('reads the switches at each event, so a changed setting applies at once', () => {
    const { p, settings } = policy();
    expect(p.observe({ type: 'fill', fill: fill() }, 0)).toHaveLength(1);
    settings.errors = false;
    expect(p.observe({ type: 'error', code: 'X', message: 'boom' }, 1)).toEqual([]);
    settings.errors = true;
    expect(p.observe({ type: 'error', code: 'X', message: 'bang' }, 2)).toHaveLength(1);
  });
});
