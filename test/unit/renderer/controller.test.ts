import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../src/core/api/channels.ts';
import { createApiClient } from '../../../src/core/api/client.ts';
import type { ApiHandlers } from '../../../src/core/api/contract.ts';
import { createDispatcher } from '../../../src/core/api/dispatcher.ts';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { BotConfig, Settings, type BotStatus } from '../../../src/core/api/schemas.ts';
import {
  attachFeed,
  createAppStores,
  createCommands,
} from '../../../src/renderer/src/state/controller.ts';
import { applySettingsPatch } from '../../../src/core/settings/schema.ts';
import { botStatus, candle, MINUTE } from './fixtures.ts';

const M = MINUTE;

/** Our own handlers interface, doubled; the contract's real dispatcher and client around it. */
function fakeCore(status: BotStatus) {
  let current = status;
  let next: Partial<BotStatus> = {};
  let recent: Array<{ candle: ReturnType<typeof candle>; indicators?: Record<string, number> }> =
    [];
  let settings = Settings.parse({});
  const calls: string[] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const notUsed = async () => {
    throw new BotDeskError('NOT_IMPLEMENTED', 'not in this test');
  };
  const handlers: ApiHandlers = {
    'bot:start': async () => {
      calls.push('start');
      if (settings.bot.symbols.includes('BAD/USDT'))
        throw new BotDeskError('MARKET_ERROR', 'unknown symbol BAD/USDT');
      current = { ...current, state: 'running', startedAt: 1000, rev: current.rev + 1, ...next };
      return current;
    },
    'bot:stop': async (input) => {
      calls.push(`stop:${input.reason}`);
      current = { ...current, state: 'stopped', rev: current.rev + 1 };
      return current;
    },
    'bot:status': async () => current,
    'bot:pause': async () => (current = { ...current, entriesPaused: true, rev: current.rev + 1 }),
    'bot:resume': async () =>
      (current = { ...current, entriesPaused: false, rev: current.rev + 1 }),
    'bot:updateConfig': notUsed,
    'market:sources': notUsed,
    'market:history': async (input) => {
      calls.push(`history:${input.source}:${input.symbol}:${input.timeframe}`);
      calls.push(`history-of:${input.file ?? '-'}:${input.seed ?? '-'}`);
      return [candle(1), candle(2), candle(3)];
    },
    'strategies:list': async () => [
      {
        id: 'sma-crossover',
        name: 'SMA crossover',
        description: '',
        origin: 'builtin',
        paramsSchema: {},
        warmup: 30,
      },
    ],
    'journal:orders': async () => [],
    'journal:fills': async (input) => {
      if (input.runId) calls.push(`fills:${input.runId}`);
      if (input.runId === 'old1')
        return ['BTC/USDT', 'ETH/USDT'].map((symbol, i) => ({
          id: `old1f${i}`,
          orderId: `old1o${i}`,
          symbol,
          side: 'buy' as const,
          amount: 1,
          price: 1,
          fee: 0,
          feeCurrency: 'USDT',
          ts: 105 * M,
        }));
      return input.runId === 'r2'
        ? []
        : [
            {
              id: 'f1',
              orderId: 'o1',
              symbol: 'BTC/USDT',
              side: 'buy',
              amount: 1,
              price: 1,
              fee: 0,
              feeCurrency: 'USDT',
              ts: 2 * M,
            },
          ];
    },
    'journal:positions': async () => [],
    'journal:equity': async () => [{ ts: 1, equity: 10_000, cash: 10_000 }],
    'settings:get': async () => settings,
    'settings:set': async (patch) => (settings = applySettingsPatch(settings, patch)),
    'logs:tail': async () => [{ ts: 1, level: 'info', scope: 'bot', message: 'hello' }],
    'bot:closePosition': notUsed,
    'bot:forceEntry': notUsed,
    'bot:resetPaperAccount': notUsed,
    'journal:runs': async () => (
      calls.push('runs'),
      [
        {
          id: 'old1',
          mode: 'paper',
          config: BotConfig.parse({ market: { source: 'sim', seed: 7 }, symbols: ['ETH/USDT'] }),
          startedAt: 1,
          endedAt: 2,
          endReason: 'user request',
          orders: 1,
          fills: 1,
          marketFrom: 100 * M,
          marketTo: 110 * M,
        },
      ]
    ),
    'journal:trades': async () => ({ total: 0, pnl: 0, wins: 0, trades: [] }),
    'journal:riskEvents': async () => [
      { ts: 3 * M, kind: 'exit', symbol: 'BTC/USDT', rule: 'stop_loss', message: 'stop_loss at 9' },
    ],
    'market:range': async (input) => {
      calls.push(
        `range:${input.source}:${input.seed}:${input.symbol}:${input.from / M}-${input.to / M}`,
      );
      return [candle(100), candle(105), candle(110)];
    },
    'market:recent': async () => recent,
    'secrets:status': notUsed,
    'secrets:set': notUsed,
    'secrets:delete': notUsed,
    'secrets:test': notUsed,
    'bot:liveStatus': notUsed,
    'bot:armLive': notUsed,
    'bot:disarmLive': notUsed,
    'backtest:run': async () => {
      throw new Error('not in this test');
    },
    'backtest:cancel': async () => ({ cancelled: 0 }),
    'backtest:list': async () => [],
    'backtest:get': async () => {
      throw new Error('not in this test');
    },
  };
  const dispatch = createDispatcher(handlers);
  const api = createApiClient({
    invoke: (channel, payload) => dispatch(channel, payload),
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  const emit = (event: EventName, payload: unknown) =>
    listeners.get(event)?.forEach((l) => l(payload));
  const setNext = (patch: Partial<BotStatus>) => (next = patch);
  const setRecent = (r: typeof recent) => (recent = r);
  return { api, calls, emit, listeners, setNext, setRecent };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('renderer feed', () => {
  it('loads the snapshot, selects the first symbol and loads its chart history', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    await settle();
    expect(stores.bot.getState().status?.state).toBe('idle');
    expect(stores.settings.getState().settings?.bot.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(stores.settings.getState().strategies.map((s) => s.id)).toEqual(['sma-crossover']);
    expect(stores.journal.getState().logs.map((l) => l.message)).toEqual(['hello']);
    expect(stores.market.getState().selected).toBe('BTC/USDT');
    expect(core.calls).toContain('history:sim:BTC/USDT:1m');
    expect(stores.market.getState().series['BTC/USDT']!.candles).toHaveLength(3);
    expect(stores.market.getState().series['BTC/USDT']!.fills.map((f) => f.id)).toEqual(['f1']);
  });

  it("lists the journal's risk decisions from before the page was opened (a reload keeps them), as events, not notices", async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    // pushed while the snapshot was read: listed once
    core.emit('risk', {
      ts: 3 * M,
      kind: 'exit',
      symbol: 'BTC/USDT',
      rule: 'stop_loss',
      message: 'stop_loss at 9',
    });
    await settle();
    expect(stores.risk.getState().events.map((e) => `${e.rule} ${e.symbol}`)).toEqual([
      'stop_loss BTC/USDT',
    ]);
    expect(stores.risk.getState().notices.map((n) => n.key)).toEqual(['exit|stop_loss|BTC/USDT']);
  });

  it("reads the runs again after the current run's first tick (its first equity is in the record then)", async () => {
    const core = fakeCore(botStatus({ rev: 1, state: 'running', runId: 'r2', ticks: 0 }));
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    await settle();
    const reads = () => core.calls.filter((c) => c === 'runs').length;
    const before = reads();
    core.emit('bot:status', botStatus({ rev: 2, state: 'running', runId: 'r2', ticks: 0 }));
    await settle();
    expect(reads()).toBe(before);
    core.emit('bot:status', botStatus({ rev: 3, state: 'running', runId: 'r2', ticks: 4 }));
    await settle();
    expect(reads()).toBe(before + 1);
    core.emit('bot:status', botStatus({ rev: 4, state: 'running', runId: 'r2', ticks: 9 }));
    await settle();
    expect(reads()).toBe(before + 1);
  });

  it('projects pushed events into the stores and stops after unsubscribing', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    const detach = await attachFeed(core.api, stores);
    core.emit('bot:status', botStatus({ state: 'running', ticks: 7, rev: 2, startedAt: 5 }));
    core.emit('market:candle', { symbol: 'BTC/USDT', timeframe: '1m', candle: candle(10) });
    core.emit('equity', { ts: 2, equity: 10_050, cash: 9_000 });
    core.emit('error', {
      code: 'STRATEGY_ERROR',
      message: 'pair ETH/USDT threw',
      symbol: 'ETH/USDT',
    });
    core.emit('bot:tick', {
      n: 7,
      ts: 1,
      durationMs: 3,
      candles: 2,
      signals: 0,
      orders: 0,
      fills: 0,
      failedPairs: [],
    });
    expect(stores.bot.getState().status).toMatchObject({ state: 'running', ticks: 7 });
    expect(stores.market.getState().series['BTC/USDT']!.candles.at(-1)!.ts).toBe(10 * M);
    expect(stores.journal.getState().equity.map((p) => p.equity)).toEqual([10_000, 10_050]);
    expect(stores.journal.getState().notices[0]).toMatchObject({
      code: 'STRATEGY_ERROR',
      symbol: 'ETH/USDT',
    });
    expect(stores.journal.getState().lastTick?.n).toBe(7);
    detach();
    expect([...core.listeners.values()].every((s) => s.size === 0)).toBe(true);
    core.emit('bot:status', botStatus({ state: 'stopped', rev: 3 }));
    expect(stores.bot.getState().status?.state).toBe('running');
  });

  it("an earlier run picked: the chart loads that run's candles over its market time with its own fills, and back to the current run clears it", async () => {
    const core = fakeCore(botStatus({ rev: 1, runId: 'r9' }));
    const stores = createAppStores();
    const commands = createCommands(() => core.api, stores);
    await attachFeed(core.api, stores);
    await settle();
    expect(stores.market.getState().selected).toBe('BTC/USDT');
    await commands.viewRun('old1');
    // the run's own market (seed 7) and pair; 60 candles of lead before its first tick
    expect(core.calls).toContain('range:sim:7:ETH/USDT:40-111');
    const chart = stores.runChart.getState();
    expect(chart).toMatchObject({ runId: 'old1', symbol: 'ETH/USDT', status: 'ready' });
    expect(chart.series!.candles.map((c) => c.ts / M)).toEqual([100, 105, 110]);
    expect(chart.series!.fills.map((f) => f.id)).toEqual(['old1f1']);
    // the live chart is left as it was
    expect(stores.market.getState().series['BTC/USDT']!.candles).toHaveLength(3);
    await commands.viewRun(null);
    expect(stores.runChart.getState()).toMatchObject({ runId: null, status: 'idle' });
  });

  it('runs commands through the API and shows failures as readable messages', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    const commands = createCommands(() => core.api, stores);
    await attachFeed(core.api, stores);
    await commands.start();
    expect(stores.bot.getState()).toMatchObject({ pending: null, commandError: null });
    expect(stores.bot.getState().status?.state).toBe('running');
    await commands.pause();
    expect(stores.bot.getState().status?.entriesPaused).toBe(true);
    await commands.resume();
    await commands.stop();
    expect(core.calls).toContain('stop:stopped from the dashboard');
    expect(stores.bot.getState().status?.state).toBe('stopped');

    expect(await commands.saveSettings({ bot: { symbols: ['BAD/USDT'] } })).toBe(true);
    await commands.start();
    expect(stores.bot.getState().commandError).toBe('Start failed: unknown symbol BAD/USDT');
  });

  it("a start command's answer with a new run empties the tables and reloads them for that run", async () => {
    const core = fakeCore(botStatus({ rev: 1, runId: 'r1' }));
    const stores = createAppStores();
    const commands = createCommands(() => core.api, stores);
    await attachFeed(core.api, stores);
    await settle();
    expect(stores.journal.getState().fills.map((f) => f.id)).toEqual(['f1']);
    core.setNext({ runId: 'r2' });
    await commands.start();
    await settle();
    expect(core.calls).toContain('fills:r2');
    expect(stores.journal.getState().fills).toEqual([]);
  });

  it("a page opened mid-run draws indicator lines over the run's past candles, not only new ones", async () => {
    const core = fakeCore(botStatus({ rev: 1, state: 'running', startedAt: 5, runId: 'r1' }));
    core.setRecent([
      { candle: candle(2), indicators: { smaFast: 2 } },
      { candle: candle(3), indicators: { smaFast: 3 } },
    ]);
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    await settle();
    await settle();
    const series = stores.market.getState().series['BTC/USDT']!;
    expect(series.candles.map((c) => c.ts / M)).toEqual([1, 2, 3]);
    expect(series.indicators['smaFast']!.map((p) => p.value)).toEqual([2, 3]);
  });

  it("the idle chart reads the saved market: the replay file, the simulated market's seed", async () => {
    const core = fakeCore(botStatus({ rev: 1, config: null }));
    const stores = createAppStores();
    const commands = createCommands(() => core.api, stores);
    await attachFeed(core.api, stores);
    await settle();
    expect(core.calls).toContain('history-of:-:42');
    await commands.saveSettings({
      bot: { market: { source: 'replay', file: 'btc.csv', speed: 1, seed: 7 } },
    });
    core.emit('bot:status', botStatus({ rev: 2, config: null }));
    commands.selectSymbol('ETH/USDT');
    await settle();
    expect(core.calls).toContain('history:replay:ETH/USDT:1m');
    expect(core.calls).toContain('history-of:btc.csv:7');
  });

  it('keeps invalid settings out and says which field is wrong', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    const commands = createCommands(() => core.api, stores);
    await attachFeed(core.api, stores);
    const before = stores.settings.getState().settings;
    expect(await commands.saveSettings({ bot: { symbols: ['btc-usdt'] } })).toBe(false);
    const { saveError, settings, saving } = stores.settings.getState();
    expect(saving).toBe(false);
    expect(settings).toBe(before);
    expect(saveError?.message).toMatch(/BASE\/QUOTE/);
    expect(saveError?.fields['bot.symbols.0']).toMatch(/BASE\/QUOTE/);
    expect(BotConfig.parse({}).symbols).toEqual(settings?.bot.symbols);
  });

  it('starts a fresh chart when a new run starts', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    await settle();
    core.emit('market:candle', { symbol: 'BTC/USDT', timeframe: '1m', candle: candle(50) });
    core.emit('bot:status', botStatus({ state: 'running', startedAt: 99, rev: 5 }));
    expect(stores.market.getState().series['BTC/USDT']).toBeUndefined();
    await settle();
    expect(stores.market.getState().series['BTC/USDT']!.candles.map((c) => c.ts / M)).toEqual([
      1, 2, 3,
    ]);
  });

  it('keeps the warm-up candles a starting run sends, with their indicators, under older history', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    await settle();
    core.emit('market:candle', { symbol: 'BTC/USDT', timeframe: '1m', candle: candle(50) });
    core.emit('bot:status', botStatus({ state: 'starting', startedAt: 7, rev: 2 }));
    // The previous run's chart is gone as soon as the new run starts.
    expect(stores.market.getState().series['BTC/USDT']).toBeUndefined();
    for (const i of [3, 4, 5])
      core.emit('market:candle', {
        symbol: 'BTC/USDT',
        timeframe: '1m',
        candle: candle(i),
        indicators: { smaFast: i },
      });
    core.emit('bot:status', botStatus({ state: 'running', startedAt: 99, rev: 3 }));
    await settle();
    const series = stores.market.getState().series['BTC/USDT']!;
    expect(series.candles.map((c) => c.ts / M)).toEqual([1, 2, 3, 4, 5]);
    expect(series.indicators['smaFast']!.map((p) => p.value)).toEqual([3, 4, 5]);
  });

  it('follows a changed symbol list and timeframe with a fresh chart', async () => {
    const core = fakeCore(botStatus({ rev: 1 }));
    const stores = createAppStores();
    await attachFeed(core.api, stores);
    await settle();
    const config = { ...botStatus().config!, symbols: ['SOL/USDT'], timeframe: '5m' as const };
    core.emit('bot:status', botStatus({ config, rev: 2 }));
    await settle();
    expect(stores.market.getState().selected).toBe('SOL/USDT');
    expect(core.calls).toContain('history:sim:SOL/USDT:5m');
    expect(Object.keys(stores.market.getState().series)).toEqual(['SOL/USDT']);

    core.emit('bot:status', botStatus({ config: { ...config, timeframe: '1h' }, rev: 3 }));
    await settle();
    expect(core.calls).toContain('history:sim:SOL/USDT:1h');
  });
});
