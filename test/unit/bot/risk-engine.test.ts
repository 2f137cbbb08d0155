/**
 * The risk rules in the running bot (BotManager → engine → trading core → journal), on a
 * scripted market: stops act while entries are paused; the kill switch stops the bot with
 * its stop behaviour, is told (status, log, risk event) and refuses a start — also after a
 * restart — until acknowledged; the risk state survives a restart (a trailing stop keeps
 * its high-water mark).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import {
  TIMEFRAME_MS,
  type Candle,
  type LogLine,
  type RiskEvent,
  type Signal,
  type SignalAction,
  type Timeframe,
} from '../../../src/core/api/schemas.ts';
import type { ComputePool, PairResult, PairSpec } from '../../../src/core/compute/types.ts';
import { sleepReal } from '../../../src/core/market/clock.ts';
import type {
  CandleEvent,
  MarketDataSource,
  SourceHealth,
  SubscribeOptions,
} from '../../../src/core/market/types.ts';
import { loadRiskState } from '../../../src/core/trading/rules/risk-journal.ts';
import { PaperExchange } from '../../../src/core/execution/paper-exchange.ts';
import { Account } from '../../../src/core/trading/account.ts';
import { makeManager, T0, waitFor, type TestManager } from './doubles.ts';

const TF = TIMEFRAME_MS['1m'];
type Path = (i: number) => [open: number, high: number, low: number, close: number];

/** Candle i opens at T0 + i minutes; history is flat at 100. Candle `gate` waits for `release()`. */
class ScriptedMarket implements MarketDataSource {
  readonly kind = 'sim' as const;
  readonly label = 'scripted';
  readonly #path: Path;
  readonly #start: number;
  readonly #gates = new Map<number, PromiseWithResolvers<void>>();
  delivered = -1;

  constructor(path: Path, start = 0) {
    this.#path = path;
    this.#start = start;
  }
  gate(i: number): () => void {
    const g = Promise.withResolvers<void>();
    this.#gates.set(i, g);
    return () => g.resolve();
  }
  candle(i: number): Candle {
    const [open, high, low, close] = i < 0 ? [100, 100, 100, 100] : this.#path(i);
    return { ts: T0 + i * TF, open, high, low, close, volume: 1 };
  }
  async validate(): Promise<void> {}
  async history(_s: string, _tf: Timeframe, limit: number): Promise<Candle[]> {
    const out: Candle[] = [];
    for (let i = this.#start - limit; i < this.#start; i++) out.push(this.candle(i));
    return out;
  }
  async *subscribe(
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncGenerator<CandleEvent> {
    let i = Math.round(((opts.since ?? T0) - T0) / TF);
    for (;;) {
      const gate = this.#gates.get(i);
      if (gate) {
        const aborted = new Promise<void>((r) => opts.signal.addEventListener('abort', () => r()));
        await Promise.race([gate.promise, aborted]);
      }
      if (!(await sleepReal(1, opts.signal))) return;
      for (const symbol of symbols)
        yield { symbol, timeframe, candle: this.candle(i), closed: true };
      this.delivered = i;
      i += 1;
    }
  }
  latestPrice(): number | undefined {
    return undefined;
  }
  health(): SourceHealth {
    return { connected: true, lastUpdateAt: null, retries: 0, stale: false, lastError: null };
  }
  async close(): Promise<void> {}
}

/** Signals by candle index (enter_long / exit), hold otherwise. */
class ScriptedPool implements ComputePool {
  readonly #actions: Record<number, SignalAction>;
  constructor(actions: Record<number, SignalAction>) {
    this.#actions = actions;
  }
  #signal(symbol: string, c: Candle): Signal {
    return {
      symbol,
      ts: c.ts,
      action: this.#actions[Math.round((c.ts - T0) / TF)] ?? 'hold',
      strength: 1,
      indicators: {},
    };
  }
  readonly #specs = new Map<string, PairSpec>();
  async addPair(spec: PairSpec): Promise<Signal[]> {
    this.#specs.set(spec.key, spec);
    return [];
  }
  async removePair(): Promise<void> {}
  async evaluate(
    updates: ReadonlyArray<{ key: string; candles: Candle[] }>,
  ): Promise<PairResult[]> {
    return updates.map(({ key, candles }) => ({
      key,
      ok: true as const,
      signals: candles.map((c) => this.#signal(this.#specs.get(key)!.symbol, c)),
    }));
  }
  pids(): number[] {
    return [];
  }
  async close(): Promise<void> {}
}

const managers: TestManager[] = [];
afterEach(async () => {
  // Newest first: a restarted manager shares its data folder with the one that created it.
  for (const m of managers.splice(0).reverse()) await m.cleanup();
});

function bot(
  market: ScriptedMarket,
  actions: Record<number, SignalAction>,
  risk: Record<string, unknown>,
  extra: { dataDir?: string; stopBehavior?: string; exchange?: boolean; balance?: number } = {},
) {
  const t = makeManager({
    settings: {
      bot: {
        symbols: ['BTC/USDT'],
        timeframe: '1m',
        warmupCandles: 5,
        startingBalance: extra.balance ?? 10_000,
        risk: { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 0.9, ...risk },
        stopBehavior: extra.stopBehavior ?? 'leave',
      },
    },
    ...(extra.dataDir ? { dataDir: extra.dataDir } : {}),
    deps: {
      createMarket: () => market,
      createPool: () => new ScriptedPool(actions),
      // An exchange stand-in (orders go out when decided, fills at the latest close), as live.
      ...(extra.exchange
        ? {
            createExecutor: (seed) =>
              new PaperExchange({
                account: new Account({ quote: seed.wallet.quote, cash: seed.wallet.cash }),
                priceOf: seed.priceOf,
                now: seed.now,
              }),
          }
        : {}),
    },
  });
  managers.push(t);
  const risk$: RiskEvent[] = [];
  const logs: LogLine[] = [];
  t.bus.on('risk', (e) => risk$.push(e));
  t.bus.on('log', (l) => logs.push(l));
  return { ...t, riskEvents: risk$, logs };
}

const flat: Path = () => [100, 100, 100, 100];

describe('risk rules in the running bot', () => {
  it('bot:pause: a stop-loss still closes the position, entries are refused', async () => {
    // 0: entry signal; 1: fills at 100 (+5 bps); 3: falls through the 5 % stop
    const market = new ScriptedMarket((i) =>
      i === 3 ? [99, 99.5, 90, 91] : [100, 100.5, 99.5, 100],
    );
    const release = market.gate(3);
    const b = bot(market, { 0: 'enter_long', 3: 'enter_long' }, { stopLoss: 0.05 });
    await b.manager.start();
    await waitFor(() => market.delivered >= 2, 5000, 'candle 2');
    await waitFor(() => b.manager.status().ticks >= 3, 5000, 'tick 3');
    expect(b.manager.journal('paper').fills(10)).toHaveLength(1);
    await b.manager.pauseEntries();
    release();
    await waitFor(() => b.manager.journal('paper').fills(10).length === 2, 5000, 'the stop fill');
    const [exit] = b.manager.journal('paper').orders(1);
    expect(exit?.side).toBe('sell');
    expect(exit?.reason).toMatch(/^stop_loss at 95\.04\d* \(-5\.00% from entry 100\.05/);
    await waitFor(() => b.riskEvents.some((e) => e.kind === 'rejected' || e.kind === 'exit'), 5000);
    expect(b.riskEvents.find((e) => e.kind === 'exit')).toMatchObject({
      rule: 'stop_loss',
      symbol: 'BTC/USDT',
    });
    expect(
      b.logs.some((l) => /BTC\/USDT: enter_long not taken: entries are paused/.test(l.message)),
    ).toBe(true);
    const events = b.manager.journal('paper').events(50);
    expect(
      events.some((e) => e.kind === 'risk' && (e.payload as RiskEvent).rule === 'stop_loss'),
    ).toBe(true);
  });

  it('with an exchange executor, a protective exit is an order sent to it, journaled and told', async () => {
    const market = new ScriptedMarket((i) =>
      i === 3 ? [99, 99.5, 90, 91] : [100, 100.5, 99.5, 100],
    );
    const b = bot(
      market,
      { 0: 'enter_long' },
      { stopLoss: 0.05, cooldownMinutes: 60 },
      { exchange: true },
    );
    await b.manager.start();
    const journal = b.manager.journal('paper');
    await waitFor(() => journal.fills(10).length === 2, 5000, 'entry and stop fills');
    const [exit] = journal.orders(1);
    expect(exit).toMatchObject({ side: 'sell', status: 'filled' });
    // entry at 100 + 5 bps slippage: the 5 % stop is 95.0475
    expect(exit!.reason).toMatch(/^stop_loss at 95\.0475 /);
    await waitFor(() => b.riskEvents.length > 0, 5000, 'the risk event');
    expect(b.riskEvents[0]).toMatchObject({ kind: 'exit', rule: 'stop_loss', symbol: 'BTC/USDT' });
    // the exchange's fill reached the risk rules: the losing trade started the pair's cooldown
    await waitFor(() => b.manager.status().ticks >= 5, 5000, 'a tick after the exit');
    expect(Object.keys(loadRiskState(journal).cooldowns)).toEqual(['BTC/USDT']);
  });

  it('the kill switch stops the bot with its stop behaviour, is told, and blocks a start — also after a restart — until acknowledged', async () => {
    // all in at candle 1's open, then 3 % lower every candle: ~10 % below the peak by candle 4
    const path: Path = (i) => {
      const p = i <= 1 ? 100 : 100 * (1 - 0.03 * (i - 1));
      return [p, p, p, p];
    };
    const market = new ScriptedMarket(path);
    const b = bot(
      market,
      { 0: 'enter_long' },
      { stakeFraction: 1, maxDrawdown: 0.1 },
      {
        stopBehavior: 'close_positions',
      },
    );
    await b.manager.start();
    await waitFor(() => b.manager.status().state === 'stopped', 10_000, 'the kill switch stop');
    const s = b.manager.status();
    expect(s.killSwitch).toMatchObject({ threshold: 0.1 });
    expect(s.killSwitch!.drawdown).toBeGreaterThanOrEqual(0.1);
    expect(s.lastStop?.reason).toMatch(/^kill_switch: drawdown 1\d\.\d\d% from the equity peak/);
    expect(s.lastStop?.outcome).toMatch(/1 position\(s\) closed/);
    expect(b.manager.journal('paper').account({ quote: 'USDT', cash: 10_000 }).openCount).toBe(0);
    expect(b.riskEvents.filter((e) => e.kind === 'kill_switch')).toHaveLength(1);
    expect(b.logs.some((l) => l.level === 'error' && l.message.startsWith('kill_switch:'))).toBe(
      true,
    );
    // the trip came on the first equity point at or past 10 %; every earlier one was below
    const equity = b.manager.journal('paper').equity(100);
    const peak = Math.max(...equity.map((p) => p.equity));
    const first = equity.findIndex((p) => (peak - p.equity) / peak >= 0.1);
    expect(first).toBeGreaterThan(1);
    expect(equity[first]!.equity).toBeCloseTo(s.killSwitch!.equity, 9);
    expect(s.killSwitch!.peak).toBeCloseTo(peak, 9);

    const refused = await b.manager.start().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BotDeskError);
    expect((refused as BotDeskError).code).toBe('RISK_REJECTED');
    expect((refused as BotDeskError).message).toMatch(/acknowledgeKillSwitch/);
    expect(b.manager.status().state).toBe('stopped');

    // a restart of the app: the switch is still tripped, shown, and still refuses
    const dataDir = b.dataDir;
    await b.manager.shutdown({ timeoutMs: 2000 });
    const again = bot(
      new ScriptedMarket(flat, 10),
      {},
      { stakeFraction: 1, maxDrawdown: 0.1 },
      { dataDir },
    );
    expect(again.manager.status().killSwitch?.message).toBe(s.killSwitch?.message);
    expect(again.manager.status().warnings.some((w) => w.includes('acknowledgeKillSwitch'))).toBe(
      true,
    );
    await expect(again.manager.start()).rejects.toMatchObject({ code: 'RISK_REJECTED' });
    const started = await again.manager.start({}, { acknowledgeKillSwitch: true });
    expect(started.state).toBe('running');
    expect(started.killSwitch ?? null).toBeNull();
    expect(again.riskEvents.map((e) => e.kind)).toEqual(['acknowledged']);
    expect(loadRiskState(again.manager.journal('paper')).killSwitch).toBeNull();
  });

  it('risk state survives a restart: the trailing stop keeps its high-water mark', async () => {
    // entry at 100 (candle 1), up to a 130 high by candle 3, then the bot is stopped ('leave')
    const rise: Path = (i) =>
      i < 2
        ? [100, 100, 100, 100]
        : i === 2
          ? [100, 120, 100, 118]
          : i === 3
            ? [118, 130, 117, 125]
            : [125, 125.5, 124.5, 125];
    const first = new ScriptedMarket(rise);
    const release = first.gate(5);
    const risk = { trailingStop: 0.05 };
    const a = bot(first, { 0: 'enter_long' }, risk);
    await a.manager.start();
    await waitFor(() => a.manager.status().ticks >= 5, 5000, 'five ticks');
    const stopped = await a.manager.stop({ reason: 'restart test' });
    expect(stopped.lastStop?.forced).toBe(false);
    release();
    const before = loadRiskState(a.manager.journal('paper'));
    expect(before.positions['BTC/USDT']).toMatchObject({ highWater: 130 });
    const dataDir = a.dataDir;
    await a.manager.shutdown({ timeoutMs: 2000 });

    // after the restart the price opens at 122: under 130 × 0.95 = 123.5 only with the mark restored
    const second = new ScriptedMarket(() => [122, 122.5, 121.5, 122], 5);
    const b = bot(second, {}, risk, { dataDir });
    expect(loadRiskState(b.manager.journal('paper'))).toEqual(before);
    await b.manager.start();
    await waitFor(
      () => b.manager.journal('paper').fills(10).length === 2,
      5000,
      'the trailing exit',
    );
    expect(b.manager.journal('paper').orders(1)[0]?.reason).toMatch(/^trailing_stop at 122 /);
  });
  it('a changed starting balance is not a drawdown: the equity peak starts afresh', async () => {
    const risk = { maxDrawdown: 0.2 };
    const a = bot(new ScriptedMarket(flat), {}, risk);
    await a.manager.start();
    await waitFor(() => a.manager.status().ticks >= 2, 5000, 'two ticks');
    await a.manager.stop();
    expect(loadRiskState(a.manager.journal('paper'))).toMatchObject({
      equityPeak: 10_000,
      startingBalance: 10_000,
    });
    const dataDir = a.dataDir;
    await a.manager.shutdown({ timeoutMs: 2000 });

    const b = bot(new ScriptedMarket(flat, 5), {}, risk, { dataDir, balance: 1000 });
    await b.manager.start();
    await waitFor(() => b.manager.status().ticks >= 2, 5000, 'two ticks after the restart');
    expect(b.manager.status()).toMatchObject({ state: 'running', killSwitch: null });
    expect(b.logs.some((l) => /starting balance changed from 10000 to 1000/.test(l.message))).toBe(
      true,
    );
    await b.manager.stop();
    expect(loadRiskState(b.manager.journal('paper'))).toMatchObject({
      equityPeak: 1000,
      startingBalance: 1000,
    });
  });
});
