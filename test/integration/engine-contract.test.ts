/**
 * The engine through the contract: every channel of the core host via the real
 * dispatcher, a bot on the simulated market with the real compute pool (child
 * processes), orders and fills reaching the journal, and a clean stop that leaves no
 * child process behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from '../../src/core/api/dispatcher.ts';
import type { BotStatus, Fill, Order } from '../../src/core/api/schemas.ts';
import { getBotManager } from '../../src/core/bot/manager.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { childPids } from '../support/child-processes.ts';

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let dataDir: string;
let host: CoreHost;
let dispatch: Dispatch;
const call = async <T>(channel: string, payload?: unknown): Promise<T> => {
  const env = await dispatch(channel, payload);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
  return env.data as T;
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-engine-it-'));
  host = await createCoreHost({ dataDir, settings: createConfSettingsStore(dataDir) });
  dispatch = createDispatcher(host.handlers);
});
afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('engine through the contract', () => {
  it('the host registers the process BotManager', () => {
    expect(getBotManager()).toBe(host.manager);
  });

  it('bot:start runs a paper bot on the simulated market; orders and fills reach the journal; bot:stop ends it cleanly', async () => {
    const childrenBefore = childPids();
    const fills: Fill[] = [];
    const orders: Order[] = [];
    const offFill = host.bus.on('fill', (f) => fills.push(f));
    const offOrder = host.bus.on('order', (o) => orders.push(o));
    // Candles sent while the bot is still starting are its warm-up history; the rest are live.
    let botState = 'stopped';
    const offStatus = host.bus.on('bot:status', (s) => (botState = s.state));
    const warmupCandles: Array<{ symbol: string; smaFast: unknown }> = [];
    const candleTimes: number[] = [];
    const smaFast: number[] = [];
    const offCandle = host.bus.on('market:candle', (c) => {
      const v = c.indicators?.['smaFast'];
      if (botState === 'starting') {
        warmupCandles.push({ symbol: c.symbol, smaFast: v });
        return;
      }
      candleTimes.push(c.candle.ts);
      if (typeof v === 'number') smaFast.push(v);
    });
    const started = await call<BotStatus>('bot:start', {
      config: {
        market: { source: 'sim', speed: 6000, seed: 7 },
        symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
        timeframe: '1m',
        strategy: { id: 'sma-crossover', params: {} },
        warmupCandles: 60,
        risk: { stakeFraction: 0.2, maxOpenPositions: 3, maxDailyLoss: 0.5 },
      },
    });
    expect(started).toMatchObject({ state: 'running', mode: 'paper', dataLabel: 'SIMULATED' });
    expect(childPids().length).toBeGreaterThan(childrenBefore.length);

    await until('fills', async () => fills.length >= 2);
    // market:history answers from the running bot's own (accelerated) feed.
    const seen = Math.max(...candleTimes);
    const history = await call<{ ts: number }[]>('market:history', {
      source: 'sim',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      limit: 3,
    });
    expect(history).toHaveLength(3);
    expect(history.at(-1)!.ts).toBeGreaterThanOrEqual(seen);
    // Every live candle carries the strategy's indicators (warmed up), for continuous chart lines.
    expect(smaFast.length).toBe(candleTimes.length);
    // So do the warm-up candles, sent before any live one: null while the averages fill up.
    for (const symbol of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']) {
      const warm = warmupCandles.filter((c) => c.symbol === symbol);
      expect(warm).toHaveLength(60);
      for (const c of warm) expect(c.smaFast === null || typeof c.smaFast === 'number').toBe(true);
      expect(typeof warm.at(-1)!.smaFast).toBe('number');
    }
    const status = await call<BotStatus>('bot:status');
    expect(status.ticks).toBeGreaterThan(0);
    expect(status.feed).toMatchObject({ connected: true, stale: false, lastError: null });
    expect(status.feed!.lastUpdateAt).toBeGreaterThan(0);
    expect(status.pairs.map((p) => p.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);

    const stopped = await call<BotStatus>('bot:stop', {
      reason: 'integration done',
      timeoutMs: 5000,
    });
    offFill();
    offOrder();
    offCandle();
    offStatus();
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastStop).toMatchObject({
      reason: 'integration done',
      forced: false,
      stopBehavior: 'leave',
    });
    expect(childPids()).toEqual(childrenBefore);

    const journalFills = await call<Fill[]>('journal:fills', { limit: 10_000 });
    const journalOrders = await call<Order[]>('journal:orders', { limit: 10_000 });
    expect(journalFills.length).toBe(stopped.fills);
    expect(journalOrders.length).toBe(stopped.orders);
    expect(new Set(journalFills.map((f) => f.id))).toEqual(new Set(fills.map((f) => f.id)));
    for (const f of journalFills)
      expect(journalOrders.some((o) => o.id === f.orderId && o.status === 'filled')).toBe(true);
    const equity = await call<{ ts: number; equity: number }[]>('journal:equity', { limit: 100 });
    expect(equity.length).toBeGreaterThan(0);
    const positions = await call<{ symbol: string; amount: number }[]>('journal:positions');
    for (const p of positions) expect(p.amount).toBeGreaterThan(0);
  });

  it('answers every other channel', async () => {
    const paused = await call<BotStatus>('bot:pause');
    expect(paused.entriesPaused).toBe(true);
    expect((await call<BotStatus>('bot:resume')).entriesPaused).toBe(false);
    const updated = await call<BotStatus>('bot:updateConfig', {
      config: { stopBehavior: 'close_positions' },
    });
    expect(updated.config?.stopBehavior).toBe('close_positions');
    const settings = await call<{ bot: { stopBehavior: string } }>('settings:get');
    expect(settings.bot.stopBehavior).toBe('close_positions');
    const set = await call<{ ui: { theme: string }; bot: { timeframe: string } }>('settings:set', {
      ui: { theme: 'light' },
      bot: { timeframe: '5m' },
    });
    expect(set.ui.theme).toBe('light');
    expect(set.bot.timeframe).toBe('5m');
    expect((await call<BotStatus>('bot:status')).config?.timeframe).toBe('5m');
    const sources = await call<{ kind: string }[]>('market:sources');
    expect(sources.map((s) => s.kind)).toContain('sim');
    const candles = await call<{ ts: number }[]>('market:history', {
      source: 'sim',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      limit: 30,
    });
    expect(candles).toHaveLength(30);
    const strategies = await call<{ id: string }[]>('strategies:list');
    expect(strategies.map((s) => s.id)).toContain('sma-crossover');
    const logs = await call<{ scope: string; message: string }[]>('logs:tail', { limit: 1000 });
    expect(logs.some((l) => l.scope === 'bot:state' && /running → stopping/.test(l.message))).toBe(
      true,
    );
  });

  it('refuses bad input and live mode with typed errors, changing nothing', async () => {
    const before = await call<BotStatus>('bot:status');
    const bad = await dispatch('bot:start', { config: { symbols: ['btc-usdt'] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const live = await dispatch('bot:start', { config: { mode: 'live' } });
    // Live needs exchange data, arming and keys: refused with the reason, nothing started.
    expect(live).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/live trading needs exchange market data/),
      },
    });
    const badSettings = await dispatch('settings:set', {
      ui: { theme: 'light' },
      bot: { warmupCandles: -5 },
    });
    expect(badSettings).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call<BotStatus>('bot:status')).toEqual(before);
  });

  it('an unknown strategy fails the start with a clear error and leaves no worker behind', async () => {
    const before = childPids();
    const res = await dispatch('bot:start', {
      config: {
        strategy: { id: 'no-such-strategy', params: {} },
        market: { source: 'sim', speed: 600, seed: 1 },
      },
    });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toMatch(/no-such-strategy/);
    const s = await call<BotStatus>('bot:status');
    expect(s.state).toBe('error');
    expect(s.error?.message).toMatch(/no-such-strategy/);
    expect(childPids()).toEqual(before);
  });
});
