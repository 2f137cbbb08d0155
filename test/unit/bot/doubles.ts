/**
 * Small doubles of OUR interfaces (MarketDataSource, ComputePool) for engine unit tests,
 * and a helper that builds a BotManager on a temp data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import {
  Settings,
  TIMEFRAME_MS,
  type Candle,
  type Signal,
  type SignalAction,
  type Timeframe,
} from '../../../src/core/api/schemas.ts';
import type { SettingsPatch } from '../../../src/core/api/contract.ts';
import { sleepReal as delay } from '../../../src/core/market/clock.ts';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { BotManager, type BotManagerDeps } from '../../../src/core/bot/manager.ts';
import type {
  ComputePool,
  EvaluateOptions,
  PairResult,
  PairSpec,
} from '../../../src/core/compute/types.ts';
import type {
  CandleEvent,
  MarketDataSource,
  SourceHealth,
  SubscribeOptions,
} from '../../../src/core/market/types.ts';
import { applySettingsPatch } from '../../../src/core/settings/schema.ts';
import type { SettingsStore } from '../../../src/core/settings/store.ts';

export const T0 = Date.UTC(2026, 0, 1);

/** Deterministic price path so tests can predict fills. */
export function priceAt(symbol: string, ts: number): number {
  const base = symbol.startsWith('BTC') ? 50_000 : 2_000;
  return base * (1 + 0.05 * Math.sin(ts / 600_000));
}

function candleAt(symbol: string, ts: number): Candle {
  const p = priceAt(symbol, ts);
  return { ts, open: p, high: p * 1.001, low: p * 0.999, close: p, volume: 1 };
}

export interface LoopCounter {
  active: number;
  max: number;
  opened: number;
}

export interface FakeMarketOptions {
  /** Real ms between candle times. */
  intervalMs?: number;
  counter?: LoopCounter;
  /** Stop delivering after this many candle times (the feed then ends). */
  maxCandles?: number;
  /** Real ms a subscription takes to wind down after it ends, as a socket takes to close. */
  closeLagMs?: number;
}

/** Emits one closed candle per symbol every `intervalMs`, starting after the warm-up history. */
export class FakeMarket implements MarketDataSource {
  readonly kind = 'sim' as const;
  readonly label = 'fake market';
  closed = false;
  readonly #opts: FakeMarketOptions;
  readonly #latest = new Map<string, number>();

  constructor(opts: FakeMarketOptions = {}) {
    this.#opts = opts;
  }

  async validate(symbols: readonly string[]): Promise<void> {
    const bad = symbols.filter((s) => s.startsWith('BAD'));
    if (bad.length > 0) throw new BotDeskError('INVALID_INPUT', `unknown symbol ${bad.join(', ')}`);
  }

  async history(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const tf = TIMEFRAME_MS[timeframe];
    const out: Candle[] = [];
    for (let i = limit; i >= 1; i--) out.push(candleAt(symbol, T0 - i * tf));
    return out;
  }

  async *subscribe(
    symbols: readonly string[],
    timeframe: Timeframe,
    opts: SubscribeOptions,
  ): AsyncGenerator<CandleEvent> {
    const counter = this.#opts.counter;
    if (counter) {
      counter.active += 1;
      counter.opened += 1;
      counter.max = Math.max(counter.max, counter.active);
    }
    try {
      const tf = TIMEFRAME_MS[timeframe];
      let ts = opts.since ?? T0;
      for (let n = 0; n < (this.#opts.maxCandles ?? Infinity); n++) {
        if (!(await delay(this.#opts.intervalMs ?? 5, opts.signal))) return;
        for (const symbol of symbols) {
          const candle = candleAt(symbol, ts);
          this.#latest.set(symbol, candle.close);
          yield { symbol, timeframe, candle, closed: true };
        }
        ts += tf;
      }
    } finally {
      if (this.#opts.closeLagMs) await delay(this.#opts.closeLagMs);
      if (counter) counter.active -= 1;
    }
  }

  latestPrice(symbol: string): number | undefined {
    return this.#latest.get(symbol);
  }

  health(): SourceHealth {
    return {
      connected: !this.closed,
      lastUpdateAt: null,
      retries: 0,
      stale: false,
      lastError: null,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** enter_long on every 6th candle time, exit three candles later, hold otherwise. */
export function patternAction(ts: number, tfMs = 60_000): SignalAction {
  const i = Math.floor(ts / tfMs) % 6;
  return i === 0 ? 'enter_long' : i === 3 ? 'exit' : 'hold';
}

export class FakePool implements ComputePool {
  readonly pairs = new Map<string, PairSpec>();
  /** Keys whose evaluation fails with STRATEGY_ERROR. */
  readonly failing = new Set<string>();
  /** Keys the pool is rebuilding (answers degraded: true, as after a neighbour's worker died). */
  readonly rebuilding = new Set<string>();
  closed = false;
  evaluations = 0;

  async addPair(spec: PairSpec): Promise<Signal[]> {
    if (spec.strategy.id === 'missing')
      throw new BotDeskError('STRATEGY_ERROR', `unknown strategy 'missing'`);
    this.pairs.set(spec.key, spec);
    const n = Math.min(spec.reportTail ?? 0, spec.history.length);
    return spec.history.slice(spec.history.length - n).map((c) => this.#signal(spec, c));
  }

  #signal(spec: PairSpec, c: Candle): Signal {
    return {
      symbol: spec.symbol,
      ts: c.ts,
      action: patternAction(c.ts),
      strength: 1,
      indicators: { close: c.close },
    };
  }

  async removePair(key: string): Promise<void> {
    this.pairs.delete(key);
  }

  async evaluate(
    updates: ReadonlyArray<{ key: string; candles: Candle[] }>,
    opts?: EvaluateOptions,
  ): Promise<PairResult[]> {
    opts?.signal?.throwIfAborted();
    this.evaluations += 1;
    return updates.map(({ key, candles }): PairResult => {
      const spec = this.pairs.get(key);
      if (!spec)
        return {
          key,
          ok: false,
          error: { code: 'COMPUTE_ERROR', message: `no pair ${key}` },
          degraded: false,
        };
      if (this.rebuilding.has(key))
        return {
          key,
          ok: false,
          error: { code: 'COMPUTE_ERROR', message: 'strategy state is being rebuilt' },
          degraded: true,
        };
      if (this.failing.has(key))
        return {
          key,
          ok: false,
          error: { code: 'STRATEGY_ERROR', message: 'boom' },
          degraded: false,
        };
      return {
        key,
        ok: true,
        signals: candles.map((c) => this.#signal(spec, c)),
      };
    });
  }

  pids(): number[] {
    return [];
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** An in-memory SettingsStore using the real validation. */
export function memorySettings(initial: unknown = {}): SettingsStore {
  let current = Settings.parse(initial);
  return {
    path: ':memory:',
    get: () => current,
    set: (patch: SettingsPatch) => (current = applySettingsPatch(current, patch)),
  };
}

export interface TestManager {
  manager: BotManager;
  bus: EventBus;
  dataDir: string;
  markets: FakeMarket[];
  pools: FakePool[];
  settings: SettingsStore;
  cleanup(): Promise<void>;
}

export function makeManager(
  opts: {
    market?: FakeMarketOptions;
    settings?: unknown;
    dataDir?: string;
    deps?: Partial<BotManagerDeps>;
  } = {},
): TestManager {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'botdesk-engine-'));
  const bus = new EventBus();
  const markets: FakeMarket[] = [];
  const pools: FakePool[] = [];
  const settings = memorySettings(
    opts.settings ?? { bot: { symbols: ['BTC/USDT', 'ETH/USDT'], warmupCandles: 10 } },
  );
  const manager = new BotManager({
    bus,
    settings,
    dataDir,
    createMarket: () => {
      const m = new FakeMarket(opts.market);
      markets.push(m);
      return m;
    },
    createPool: () => {
      const p = new FakePool();
      pools.push(p);
      return p;
    },
    ...opts.deps,
  });
  return {
    manager,
    bus,
    dataDir,
    markets,
    pools,
    settings,
    async cleanup() {
      await manager.shutdown({ timeoutMs: 2000 });
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once `pred` holds, polling; rejects after `ms`. */
export async function waitFor(pred: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}
