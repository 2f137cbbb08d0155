import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { BotStatus } from '../../../src/core/api/schemas.ts';
import { BotStatus as BotStatusSchema } from '../../../src/core/api/schemas.ts';
import { desiredStateFile } from '../../../src/core/bot/desired-state.ts';
import { journalFile } from '../../../src/core/journal/journal.ts';
import { makeManager, priceAt, T0, waitFor, type TestManager } from './doubles.ts';

let t: TestManager | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

describe('BotManager lifecycle', () => {
  it('starts, ticks, trades on paper, journals and stops cleanly', async () => {
    t = makeManager();
    const { manager } = t;
    const statuses: BotStatus[] = [];
    t.bus.on('bot:status', (s) => statuses.push(s));
    const fills: unknown[] = [];
    t.bus.on('fill', (f) => fills.push(f));

    const started = await manager.start();
    expect(started.state).toBe('running');
    expect(started.mode).toBe('paper');
    expect(started.dataLabel).toBe('SIMULATED');
    expect(BotStatusSchema.parse(started)).toEqual(started);

    await waitFor(() => manager.status().fills >= 2, 10_000, 'fills');
    const stopped = await manager.stop({ reason: 'test done' });
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastStop).toMatchObject({
      reason: 'test done',
      forced: false,
      stopBehavior: 'leave',
    });
    expect(stopped.ticks).toBeGreaterThan(0);
    expect(stopped.orders).toBeGreaterThanOrEqual(stopped.fills);
    expect(t.pools[0]!.closed).toBe(true);
    expect(t.markets[0]!.closed).toBe(true);

    const journal = manager.journal('paper');
    expect(journal.fills(1000)).toHaveLength(stopped.fills);
    expect(fills).toHaveLength(stopped.fills);
    expect(journal.equity(10_000).length).toBeGreaterThan(0);
    // rev grows monotonically over the emitted snapshots
    const revs = statuses.map((s) => s.rev);
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
    expect(new Set(revs).size).toBe(revs.length);
  });

  it('sends the warm-up candles with their indicators once every pair is warm, before the first tick', async () => {
    t = makeManager();
    const events: Array<{
      kind: 'candle' | 'tick';
      symbol?: string;
      ts?: number;
      close?: unknown;
    }> = [];
    t.bus.on('market:candle', (c) =>
      events.push({
        kind: 'candle',
        symbol: c.symbol,
        ts: c.candle.ts,
        close: c.indicators?.['close'],
      }),
    );
    t.bus.on('bot:tick', () => events.push({ kind: 'tick' }));
    const pairsAtFirstCandle: number[] = [];
    t.bus.on('market:candle', () => pairsAtFirstCandle.push(t!.pools[0]!.pairs.size));
    await t.manager.start();
    await waitFor(() => events.some((e) => e.kind === 'tick'), 10_000, 'a tick');
    const firstTick = events.findIndex((e) => e.kind === 'tick');
    const warmup = events.slice(0, firstTick);
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      const expected = await t.markets[0]!.history(symbol, '1m', 10);
      const warm = warmup.filter((e) => e.symbol === symbol && e.ts! < T0);
      // Every warm-up candle, oldest first, with the value the strategy computed at it.
      expect(warm.map((e) => [e.ts, e.close])).toEqual(expected.map((c) => [c.ts, c.close]));
    }
    // Sent only after both pairs were added to the pool.
    expect(pairsAtFirstCandle[0]).toBe(2);
    await t.manager.stop();
  });

  it('orders, fills and equity are committed to the journal before their events go out', async () => {
    t = makeManager();
    let db: DatabaseSync | null = null;
    // A second connection sees only committed data: an open transaction would be invisible to it.
    const committed = (sql: string, ...args: SQLInputValue[]) => {
      db ??= new DatabaseSync(journalFile(t!.dataDir, 'paper'), { readOnly: true });
      return db.prepare(sql).get(...args) !== undefined;
    };
    const missing: string[] = [];
    let seen = 0;
    t.bus.on('order', (o) => {
      seen += 1;
      if (!committed('SELECT 1 FROM orders WHERE id = ?', o.id)) missing.push(`order ${o.id}`);
    });
    t.bus.on('fill', (f) => {
      seen += 1;
      if (!committed('SELECT 1 FROM fills WHERE id = ?', f.id)) missing.push(`fill ${f.id}`);
    });
    t.bus.on('equity', (e) => {
      if (!committed('SELECT 1 FROM equity WHERE ts = ? AND equity = ?', e.ts, e.equity))
        missing.push(`equity at ${e.ts}`);
    });
    await t.manager.start();
    await waitFor(() => t!.manager.status().fills >= 3, 10_000, 'fills');
    await t.manager.stop();
    (db as DatabaseSync | null)?.close();
    expect(seen).toBeGreaterThanOrEqual(6);
    expect(missing).toEqual([]);
  });

  it('a second start returns the running status and starts nothing new', async () => {
    t = makeManager();
    const a = await t.manager.start();
    const b = await t.manager.start({ timeframe: '5m' });
    expect(b.state).toBe('running');
    expect(b.startedAt).toBe(a.startedAt);
    expect(b.config?.timeframe).toBe('1m');
    expect(t.pools).toHaveLength(1);
  });

  it('stop while stopped resolves at once and changes nothing', async () => {
    t = makeManager();
    const s = await t.manager.stop();
    expect(s.state).toBe('idle');
    expect(s.lastStop).toBeNull();
  });

  it('rejects live mode with NOT_IMPLEMENTED and stays idle', async () => {
    t = makeManager();
    const err = await t.manager.start({ mode: 'live' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotDeskError);
    expect((err as BotDeskError).code).toBe('NOT_IMPLEMENTED');
    expect((err as BotDeskError).message).toMatch(/live trading/);
    expect(t.manager.status().state).toBe('idle');
    expect(t.pools).toHaveLength(0);
  });

  it('rejects invalid config with INVALID_INPUT and changes nothing', async () => {
    t = makeManager();
    const before = t.manager.status();
    for (const bad of [
      { symbols: [] },
      { timeframe: '7m' },
      { symbols: ['BTC/USDT', 'ETH/BTC'] },
      { nope: 1 },
    ]) {
      const err = await t.manager.start(bad as never).catch((e: unknown) => e);
      expect((err as BotDeskError).code, JSON.stringify(bad)).toBe('INVALID_INPUT');
    }
    expect(t.manager.status()).toEqual(before);
  });

  it('a start that fails while warming up ends in error with the reason, and can start again', async () => {
    t = makeManager();
    const err = await t.manager.start({ symbols: ['BAD/USDT'] }).catch((e: unknown) => e);
    expect((err as BotDeskError).code).toBe('INVALID_INPUT');
    const s = t.manager.status();
    expect(s.state).toBe('error');
    expect(s.error?.message).toMatch(/BAD\/USDT/);
    expect(t.pools[0]!.closed).toBe(true);
    expect((await t.manager.start()).state).toBe('running');
    expect(t.manager.status().error).toBeNull();
  });

  it('updateConfig applies risk and stop behaviour at once, other fields at the next start', async () => {
    t = makeManager();
    await t.manager.start();
    const s = await t.manager.updateConfig({ stopBehavior: 'close_positions', timeframe: '5m' });
    expect(s.config?.stopBehavior).toBe('close_positions');
    expect(s.config?.timeframe).toBe('1m');
    expect(s.warnings.join(' ')).toMatch(/timeframe.*next start/);
    expect(t.settings.get().bot.timeframe).toBe('5m');
    await waitFor(() => t!.manager.status().fills >= 1, 10_000, 'a fill');
    const stopped = await t.manager.stop();
    expect(stopped.lastStop?.stopBehavior).toBe('close_positions');
    expect(t.manager.journal('paper').positions()).toEqual([]);
    const restarted = await t.manager.start();
    expect(restarted.config?.timeframe).toBe('5m');
    expect(restarted.warnings.join(' ')).not.toMatch(/next start/);
  });

  it('pauseEntries blocks new entries but exits still fill', async () => {
    t = makeManager();
    await t.manager.start();
    await waitFor(() => t!.manager.journal('paper').positions().length > 0, 10_000, 'a position');
    const paused = await t.manager.pauseEntries();
    expect(paused.entriesPaused).toBe(true);
    const buysBefore = t.manager
      .journal('paper')
      .fills(10_000)
      .filter((f) => f.side === 'buy').length;
    await waitFor(() => t!.manager.journal('paper').positions().length === 0, 10_000, 'exits');
    await waitFor(() => t!.manager.status().ticks > paused.ticks + 12, 10_000, 'more ticks');
    const buysAfter = t.manager
      .journal('paper')
      .fills(10_000)
      .filter((f) => f.side === 'buy').length;
    expect(buysAfter).toBe(buysBefore);
    expect((await t.manager.resumeEntries()).entriesPaused).toBe(false);
    await waitFor(
      () =>
        t!.manager
          .journal('paper')
          .fills(10_000)
          .filter((f) => f.side === 'buy').length > buysBefore,
      10_000,
      'a new buy',
    );
  });

  it('a forced entry while entries are paused is refused at once, saying why (not dropped at the next tick)', async () => {
    t = makeManager();
    await t.manager.start();
    await t.manager.pauseEntries();
    const err = await t.manager.forceEntry('BTC/USDT').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotDeskError);
    expect(err).toMatchObject({ code: 'INVALID_STATE' });
    expect((err as Error).message).toMatch(/entries are paused/);
    await t.manager.resumeEntries();
    await expect(t.manager.forceEntry('BTC/USDT')).resolves.toMatchObject({ state: 'running' });
  });

  it('a failing pair is paused after N failures while the others keep trading', async () => {
    t = makeManager({ deps: { maxPairFailures: 3 } });
    const errors: { symbol?: string | undefined }[] = [];
    t.bus.on('error', (e) => errors.push(e));
    await t.manager.start();
    t.pools[0]!.failing.add('ETH/USDT@1m');
    await waitFor(
      () => t!.manager.status().pairs.some((p) => p.state === 'paused'),
      10_000,
      'paused pair',
    );
    const s = t.manager.status();
    expect(s.state).toBe('running');
    expect(s.pairs.find((p) => p.symbol === 'ETH/USDT')).toMatchObject({
      state: 'paused',
      consecutiveFailures: 3,
      lastError: 'boom',
    });
    expect(s.pairs.find((p) => p.symbol === 'BTC/USDT')?.state).toBe('ok');
    expect(s.warnings.join(' ')).toMatch(/ETH\/USDT is paused/);
    expect(errors.filter((e) => e.symbol === 'ETH/USDT')).toHaveLength(3);
    const ticks = s.ticks;
    await waitFor(() => t!.manager.status().ticks > ticks + 3, 10_000, 'ticks go on');
  });

  it('a pair the pool is rebuilding is degraded, never paused, however many ticks it takes', async () => {
    t = makeManager({ deps: { maxPairFailures: 3 } });
    await t.manager.start();
    const pool = t.pools[0]!;
    pool.rebuilding.add('ETH/USDT@1m');
    const ticks = t.manager.status().ticks;
    await waitFor(() => t!.manager.status().ticks > ticks + 6, 10_000, 'ticks while rebuilding');
    expect(t.manager.status().pairs.find((p) => p.symbol === 'ETH/USDT')).toMatchObject({
      state: 'degraded',
      consecutiveFailures: 0,
    });
    pool.rebuilding.clear();
    await waitFor(
      () => t!.manager.status().pairs.every((p) => p.state === 'ok'),
      10_000,
      'pair back to ok',
    );
  });

  it('an unrecoverable error stops the bot with a clear message', async () => {
    t = makeManager();
    await t.manager.start();
    const pool = t.pools[0]!;
    pool.evaluate = async () => {
      throw new BotDeskError('EXCHANGE_AUTH', 'API key rejected by the exchange');
    };
    await waitFor(() => t!.manager.status().state === 'error', 10_000, 'error state');
    const s = t.manager.status();
    expect(s.error).toEqual({ code: 'EXCHANGE_AUTH', message: 'API key rejected by the exchange' });
    expect(s.lastStop?.reason).toMatch(/API key rejected/);
    expect(pool.closed).toBe(true);
  });

  it('a feed that ends stops the bot', async () => {
    t = makeManager({ market: { maxCandles: 4, intervalMs: 2 } });
    await t.manager.start();
    await waitFor(() => t!.manager.status().state === 'stopped', 10_000, 'stopped');
    const s = t.manager.status();
    expect(s.lastStop).toMatchObject({ reason: 'market feed ended', forced: false });
    // Every candle time was either its own tick or merged into one (counted as missed).
    expect(s.ticks + s.missedTicks).toBe(4);
  });

  it('stop during warm-up cancels the start', async () => {
    let release = () => {};
    t = makeManager();
    const gate = new Promise<void>((r) => (release = r));
    const pools = t.pools;
    const start = t.manager.start();
    // The first pool's addPair is in flight; make the next ones wait so stop lands mid-warm-up.
    await waitFor(() => pools.length === 1, 5000, 'pool');
    pools[0]!.addPair = async () => {
      await gate;
      return [];
    };
    const stop = t.manager.stop({ reason: 'changed my mind' });
    const startErr = await start.catch((e: unknown) => e);
    release();
    const stopped = await stop;
    expect(stopped.state).toBe('stopped');
    if (startErr instanceof BotDeskError) expect(startErr.code).toBe('CANCELLED');
    expect(pools[0]!.closed).toBe(true);
  });

  it('persists the desired state off the tick path and resumes a paper bot on the next launch', async () => {
    t = makeManager();
    await t.manager.start({ timeframe: '5m' });
    await t.manager.pauseEntries();
    const dataDir = t.dataDir;
    await t.manager.shutdown({ timeoutMs: 2000 });
    const saved = JSON.parse(readFileSync(desiredStateFile(dataDir), 'utf8'));
    expect(saved).toMatchObject({
      desired: 'running',
      mode: 'paper',
      entriesPaused: true,
      config: { timeframe: '5m' },
    });

    const next = makeManager({ dataDir });
    const resumed = await next.manager.resumeOnLaunch();
    expect(resumed).toMatchObject({
      state: 'running',
      entriesPaused: true,
      config: { timeframe: '5m' },
    });
    await next.manager.stop();
    await next.manager.shutdown();
    expect(JSON.parse(readFileSync(desiredStateFile(dataDir), 'utf8')).desired).toBe('stopped');
    const third = makeManager({ dataDir });
    expect((await third.manager.resumeOnLaunch()).state).toBe('idle');
    await third.cleanup();
    t = makeManager({ dataDir }); // cleanup of the folder
  });

  it('a live bot running at the last quit waits for the user by default', async () => {
    t = makeManager();
    const config = { ...t.settings.get().bot, mode: 'live' as const };
    writeFileSync(
      desiredStateFile(t.dataDir),
      JSON.stringify({
        desired: 'running',
        mode: 'live',
        config,
        entriesPaused: false,
        updatedAt: 1,
      }),
    );
    const s = await t.manager.resumeOnLaunch();
    expect(s.state).toBe('idle');
    expect(t.pools).toEqual([]);
    expect(s.warnings.join(' ')).toMatch(/a live bot was running .* waits for you to start it/);
  });

  it('does not resume when the setting is off, and says so', async () => {
    t = makeManager({
      settings: { bot: { warmupCandles: 5 }, resumeOnLaunch: { paper: false, live: false } },
    });
    await t.manager.start();
    await t.manager.shutdown();
    const next = makeManager({
      dataDir: t.dataDir,
      settings: { resumeOnLaunch: { paper: false, live: false } },
    });
    const s = await next.manager.resumeOnLaunch();
    expect(s.state).toBe('idle');
    expect(s.warnings.join(' ')).toMatch(/waits for you to start it/);
    await next.cleanup();
    expect(existsSync(t.dataDir)).toBe(true);
  });

  it('ticks never overlap, and a slow tick holds a simulated feed back: every candle time gets a tick of its own, none merged', async () => {
    t = makeManager({ market: { intervalMs: 2 } });
    await t.manager.start();
    const pool = t.pools[0]!;
    const evaluate = pool.evaluate.bind(pool);
    let inFlight = 0;
    let maxInFlight = 0;
    const evaluated: number[][] = [];
    pool.evaluate = async (updates, opts) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Far slower than the feed's 2 ms per candle time.
      await new Promise((r) => setTimeout(r, 25));
      inFlight -= 1;
      evaluated.push([...new Set(updates.flatMap((u) => u.candles.map((c) => c.ts)))]);
      return evaluate(updates, opts);
    };
    await waitFor(() => evaluated.length > 8, 10_000, 'slow ticks');
    const s = await t.manager.stop();
    expect(maxInFlight).toBe(1);
    expect(s.missedTicks).toBe(0);
    // Each evaluation held exactly one candle time, and they follow each other minute by minute.
    expect(evaluated.every((times) => times.length === 1)).toBe(true);
    const times = evaluated.map((x) => x[0]!);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60_000);
  });

  it('status() answers from its snapshot while a tick is stuck', async () => {
    t = makeManager({ market: { intervalMs: 2 } });
    await t.manager.start();
    const pool = t.pools[0]!;
    let entered = false;
    pool.evaluate = (_u, opts) =>
      new Promise((_resolve, reject) => {
        entered = true;
        opts?.signal?.addEventListener('abort', () =>
          reject(new BotDeskError('CANCELLED', 'cancelled')),
        );
      });
    await waitFor(() => entered, 10_000, 'a stuck tick');
    const before = t.manager.status();
    expect(before.state).toBe('running');
    expect(t.manager.status().rev).toBe(before.rev);
    const stopped = await t.manager.stop({ timeoutMs: 100 });
    expect(stopped.lastStop?.forced).toBe(true);
  });

  it('reconciles orders an interrupted run left open before trading again', async () => {
    t = makeManager();
    t.manager.journal('paper').commitTick({
      orders: [
        {
          id: 'paper-old',
          clientOrderId: 'old',
          mode: 'paper',
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'market',
          amount: 0.1,
          price: null,
          status: 'open',
          reason: 'strategy entry',
          ts: 1,
        },
      ],
    });
    const logs: string[] = [];
    t.bus.on('log', (l) => logs.push(l.message));
    await t.manager.start();
    const [old] = t.manager
      .journal('paper')
      .orders(1000)
      .filter((o) => o.id === 'paper-old');
    expect(old?.status).toBe('canceled');
    expect(old?.reason).toMatch(/canceled on reconcile/);
    expect(t.manager.journal('paper').openOrders()).toEqual([]);
    expect(logs.join('\n')).toMatch(/reconciled 1 order/);
  });

  it('a restarted paper bot keeps its wallet: cash and holdings come from the journal', async () => {
    t = makeManager({
      settings: { bot: { symbols: ['BTC/USDT'], warmupCandles: 5, startingBalance: 1000 } },
    });
    await t.manager.start();
    await waitFor(() => t!.manager.journal('paper').positions().length > 0, 10_000, 'a position');
    await t.manager.stop();
    const journal = t.manager.journal('paper');
    const cash = 1000 + journal.cashFlow();
    const [held] = journal.positions();
    expect(cash).toBeLessThan(1000);
    expect(held?.amount).toBeGreaterThan(0);
    // Before its first tick the restarted bot values the same wallet at the last warm-up close.
    const restarted = await t.manager.start();
    expect(restarted.equity).toBeCloseTo(cash + held!.amount * priceAt('BTC/USDT', T0 - 60_000), 6);
  });

  it('a restart on markets of another quote currency starts from its own balance, not the other currency', async () => {
    t = makeManager({
      settings: { bot: { symbols: ['BTC/USDT'], warmupCandles: 5, startingBalance: 1000 } },
    });
    await t.manager.start();
    await waitFor(() => t!.manager.journal('paper').positions().length > 0, 10_000, 'a position');
    await t.manager.stop();
    expect(t.manager.journal('paper').cashFlow('USDT')).toBeLessThan(0);
    // The BTC/USDT position and USDT cash flow are not part of a BTC-quoted wallet.
    const other = await t.manager.start({ symbols: ['ETH/BTC'] });
    expect(other.equity).toBe(1000);
  });

  it('a restart during the day keeps the daily loss limit the journal recorded', async () => {
    t = makeManager({
      settings: {
        bot: {
          symbols: ['BTC/USDT'],
          warmupCandles: 5,
          startingBalance: 1000,
          risk: { stakeFraction: 0.1, maxOpenPositions: 1, maxDailyLoss: 0.05 },
        },
      },
    });
    const journal = t.manager.journal('paper');
    // An earlier run of the same (market) day started it with twice the equity: 50 % down today.
    journal.commitTick({ equity: { ts: T0, equity: 2000, cash: 2000 } });
    const dailyLossRejections = () =>
      journal
        .events(1000)
        .filter((e) => e.kind === 'risk-rejected')
        .map((e) => (e.payload as { reason: string }).reason)
        .filter((r) => /daily loss 50\.00% reached the limit/.test(r));
    await t.manager.start();
    await waitFor(() => dailyLossRejections().length > 0, 10_000, 'an entry refused');
    await t.manager.stop();
    expect(journal.fills(10)).toEqual([]);
  });

  it('decisions of one tick share slots and cash: maxOpenPositions holds when pairs enter together', async () => {
    t = makeManager({
      settings: {
        bot: {
          symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
          warmupCandles: 5,
          risk: { stakeFraction: 0.3, maxOpenPositions: 1, maxDailyLoss: 0.5 },
        },
      },
    });
    let maxOpen = 0;
    t.bus.on('bot:tick', () => {
      maxOpen = Math.max(maxOpen, t!.manager.journal('paper').positions().length);
    });
    await t.manager.start();
    await waitFor(() => t!.manager.status().fills >= 4, 10_000, 'several round trips');
    await t.manager.stop();
    expect(maxOpen).toBe(1);
    const rejected = t.manager
      .journal('paper')
      .orders(1000)
      .filter((o) => o.status === 'rejected');
    expect(rejected).toEqual([]);
    const refusals = t.manager
      .journal('paper')
      .events(10_000)
      .filter((e) => e.kind === 'risk-rejected');
    expect(JSON.stringify(refusals)).toMatch(/max open positions \(1\) reached/);
  });

  it('when every pair is paused the bot stops with the reason instead of idling', async () => {
    t = makeManager({ deps: { maxPairFailures: 2 } });
    await t.manager.start();
    t.pools[0]!.failing.add('BTC/USDT@1m');
    t.pools[0]!.failing.add('ETH/USDT@1m');
    await waitFor(() => t!.manager.status().state === 'error', 10_000, 'error state');
    const s = t.manager.status();
    expect(s.error?.code).toBe('STRATEGY_ERROR');
    expect(s.error?.message).toMatch(/every pair is paused.*BTC\/USDT: boom.*ETH\/USDT: boom/);
    expect(s.pairs.every((p) => p.state === 'paused')).toBe(true);
  });
});
