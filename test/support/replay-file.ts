/**
 * Replay files made from the simulated market's output, with gaps and flat stretches, and
 * a paper run of the real `botdesk run` path over one: the paper half of the parity tests
 * (a backtest of the same file must give the same trades) and of the speed tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candle, Fill } from '../../src/core/api/schemas.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { SimMarketSource } from '../../src/core/market/sim-source.ts';
import { Journal, journalFile } from '../../src/core/journal/journal.ts';
import { runBot, type RunSummary } from '../../src/headless/commands/run.ts';

const MINUTE = 60_000;

export interface SimFileOptions {
  symbols: string[];
  /** Candles per symbol before gaps are cut. */
  candles: number;
  seed?: number;
  /** Per symbol, candle indices left out of the file (gaps). */
  gaps?: Record<string, number[]>;
  /** Per symbol, [first index, length] stretches where the price does not move. */
  flat?: Record<string, [number, number][]>;
}

/** The candles of `symbols` from the simulated market (seeded), with gaps cut and flat runs. */
export async function simCandles(opts: SimFileOptions): Promise<Map<string, Candle[]>> {
  const start = Date.UTC(2025, 5, 2);
  const end = start + opts.candles * MINUTE;
  const source = new SimMarketSource({
    seed: opts.seed ?? 7,
    clock: createClock({ speed: 1, start: end + MINUTE }),
  });
  const out = new Map<string, Candle[]>();
  for (const symbol of opts.symbols) {
    const candles = (await source.range(symbol, '1m', start, end)).map((c) => ({ ...c }));
    for (const [from, length] of opts.flat?.[symbol] ?? []) {
      const level = candles[from - 1]?.close ?? candles[from]!.open;
      for (let i = from; i < from + length && i < candles.length; i++) {
        Object.assign(candles[i]!, { open: level, high: level, low: level, close: level });
      }
    }
    const cut = new Set(opts.gaps?.[symbol] ?? []);
    out.set(
      symbol,
      candles.filter((_, i) => !cut.has(i)),
    );
  }
  await source.close();
  return out;
}

/** Writes a multi-symbol ccxt-style JSON replay file: `{ "BTC/USDT": [[ts,o,h,l,c,v],…] }`. */
export function writeReplayFile(path: string, series: Map<string, Candle[]>): void {
  const doc: Record<string, number[][]> = {};
  for (const [symbol, candles] of series) {
    doc[symbol] = candles.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume]);
  }
  writeFileSync(path, JSON.stringify(doc));
}

export interface PaperReplayOptions {
  dataDir: string;
  file: string;
  symbols: string[];
  strategy: string;
  speed: number;
  fee?: number;
  slippageBps?: number;
  gaps?: 'keep' | 'fill';
  /** The bot's risk settings, field by field over the defaults (stake, stops, cooldowns…). */
  risk?: Record<string, unknown>;
  /** Candles the bot warms up on before trading (default 0: it trades from the first candle). */
  warmupCandles?: number;
}

export interface PaperReplayResult {
  summary: RunSummary;
  /** Every fill of the run, oldest first. */
  fills: Fill[];
}

/**
 * A paper bot over the whole file (no warm-up: the strategy warms up on the replayed
 * candles, as a backtest's does), through `botdesk run`, until the replay ends.
 */
export async function paperRunOverFile(opts: PaperReplayOptions): Promise<PaperReplayResult> {
  writeFileSync(
    join(opts.dataDir, 'settings.json'),
    JSON.stringify({
      bot: {
        warmupCandles: opts.warmupCandles ?? 0,
        startingBalance: 10_000,
        ...(opts.risk
          ? { risk: { stakeFraction: 0.1, maxOpenPositions: 5, maxDailyLoss: 0.05, ...opts.risk } }
          : {}),
      },
    }),
  );
  const summary = await runBot({
    dataDir: opts.dataDir,
    market: 'replay',
    file: opts.file,
    symbols: opts.symbols,
    timeframe: '1m',
    strategy: opts.strategy,
    speed: opts.speed,
    ...(opts.fee !== undefined ? { feeRate: opts.fee } : {}),
    ...(opts.slippageBps !== undefined ? { slippageBps: opts.slippageBps } : {}),
    ...(opts.gaps !== undefined ? { gaps: opts.gaps } : {}),
    stopTimeoutMs: 10_000,
    signal: new AbortController().signal,
    log: () => {},
  });
  const journal = new Journal(journalFile(opts.dataDir, 'paper'));
  try {
    return { summary, fills: journal.fills(1_000_000).reverse() };
  } finally {
    journal.close();
  }
}

/** What must match between two runs, price for price (ids differ by run). */
export function tradeKey(f: Fill): string {
  return `${f.ts} ${f.symbol} ${f.side} ${f.amount} @ ${f.price} fee ${f.fee}`;
}

/** A round trip read from a paper run's fills (exit fields null while still open). */
export interface PaperTrade {
  symbol: string;
  entryTs: number;
  entryPrice: number;
  amount: number;
  exitTs: number | null;
  exitPrice: number | null;
  fees: number;
}

/** Pairs each symbol's buy with the sell that closes it (the engine trades whole positions). */
export function paperTrades(fills: readonly Fill[]): PaperTrade[] {
  const open = new Map<string, PaperTrade>();
  const out: PaperTrade[] = [];
  for (const f of fills) {
    if (f.side === 'buy') {
      const t: PaperTrade = {
        symbol: f.symbol,
        entryTs: f.ts,
        entryPrice: f.price,
        amount: f.amount,
        exitTs: null,
        exitPrice: null,
        fees: f.fee,
      };
      open.set(f.symbol, t);
      out.push(t);
    } else {
      const t = open.get(f.symbol)!;
      t.exitTs = f.ts;
      t.exitPrice = f.price;
      t.fees += f.fee;
      open.delete(f.symbol);
    }
  }
  return out;
}

/** Temporary folders for a test file: `make()` one, `removeAll()` after the tests. */
export function tempDirs(prefix: string): { make(): string; removeAll(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    removeAll() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
