/**
 * Market data figures (JSON on stdout, progress on stderr):
 * - delivery latency from candle close (on the simulated clock) to the subscriber, for
 *   100 symbols on the simulated market at 1000× and 10 000×, and its top rate flat out;
 * - simulated candle generation for 100 symbols with the microstructure layer (trades,
 *   ticks, spread, time of day) side by side with the generator without it (as it was
 *   before the layer), interleaved rounds in one run, medians and their ratio;
 * - candle store insert and range-read throughput for 1 000 000 candles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Candle } from '../src/core/api/schemas.ts';
import { CandleStore } from '../src/core/market/candle-store.ts';
import { createClock } from '../src/core/market/clock.ts';
import { combineKeys, hashString } from '../src/core/market/random.ts';
import { symbolProfile } from '../src/core/market/sim-profile.ts';
import { SimSeries } from '../src/core/market/sim-series.ts';
import { SimMarketSource } from '../src/core/market/sim-source.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function simLatency(speed: number, symbols: number, closes: number, microstructure = true) {
  const clock = createClock({ speed });
  const source = new SimMarketSource({ seed: 42, clock, microstructure });
  const names = Array.from({ length: symbols }, (_, i) => `C${i}/USDT`);
  const tf = 60_000;
  // Warm the series the way a bot does (history first), so generation is not counted as latency.
  for (const name of names) await source.history(name, '1m', 200);
  const controller = new AbortController();
  const perCandle: number[] = [];
  const perBurst: number[] = [];
  let seen = 0;
  // Timed from the end of the first burst: until then the source catches up from its origin
  // to the clock, which ran on at `speed` during the warm-up (a load-dependent amount).
  let started = 0;
  for await (const event of source.subscribe(names, '1m', { signal: controller.signal })) {
    const latency = performance.now() - clock.realTimeOf(event.candle.ts + tf);
    perCandle.push(latency);
    if (++seen === symbols) started = performance.now();
    if (seen % symbols === 0) {
      perBurst.push(latency); // the last symbol of the burst: the whole tick is delivered
      if (perBurst.length === closes) break;
    }
  }
  const elapsedS = (performance.now() - started) / 1000;
  seen -= symbols; // the first burst only started the timer
  controller.abort();
  await source.close();
  perCandle.sort((a, b) => a - b);
  perBurst.sort((a, b) => a - b);
  return {
    speed,
    symbols,
    closes,
    candleIntervalMs: tf / speed,
    latencyMs: {
      p50: round(percentile(perCandle, 0.5)),
      p99: round(percentile(perCandle, 0.99)),
      max: round(perCandle.at(-1)!),
    },
    fullTickLatencyMs: {
      p50: round(percentile(perBurst, 0.5)),
      p99: round(percentile(perBurst, 0.99)),
    },
    candlesPerSecond: Math.round(seen / elapsedS),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Candles per second generating `perSymbol` 1m candles for each of `symbols` new series. */
function generationRound(microstructure: boolean, symbols: number, perSymbol: number): number {
  const origin = Date.UTC(2026, 0, 14);
  const marketKey = combineKeys(42, hashString('market:1m'));
  const started = performance.now();
  let candles = 0;
  for (let i = 0; i < symbols; i++) {
    const profile = symbolProfile(42, `C${i}/USDT`, 60_000);
    const series = new SimSeries(profile, marketKey, origin, 60_000, { microstructure });
    // Half forward (live candles), half backward (history), as a bot's warm-up and run do.
    candles += series.range(-perSymbol / 2, perSymbol / 2).length;
  }
  return candles / ((performance.now() - started) / 1000);
}

function generation(symbols: number, perSymbol: number, rounds: number) {
  const plain: number[] = [];
  const layered: number[] = [];
  generationRound(true, 10, 2000); // warm the JIT for both paths
  generationRound(false, 10, 2000);
  // Interleaved so a change in machine load hits both alike.
  for (let r = 0; r < rounds; r++) {
    plain.push(generationRound(false, symbols, perSymbol));
    layered.push(generationRound(true, symbols, perSymbol));
  }
  return {
    symbols,
    candlesPerSymbol: perSymbol,
    rounds,
    withoutLayerCandlesPerSecond: { median: Math.round(median(plain)), all: plain.map(Math.round) },
    withLayerCandlesPerSecond: {
      median: Math.round(median(layered)),
      all: layered.map(Math.round),
    },
    ratio: round(median(layered) / median(plain)),
    /** Ratio of each interleaved pair, a check on the medians' ratio under changing load. */
    pairRatios: layered.map((x, i) => round(x / plain[i]!)),
  };
}

function storeThroughput(total: number) {
  const dir = mkdtempSync(join(tmpdir(), 'botdesk-bench-'));
  try {
    const store = CandleStore.inDataDir(dir);
    const key = { exchange: 'bench', symbol: 'BTC/USDT', timeframe: '1m' };
    const t0 = Date.UTC(2020, 0, 1);
    const batch = 100_000;
    let insertMs = 0;
    for (let offset = 0; offset < total; offset += batch) {
      const candles: Candle[] = [];
      for (let i = offset; i < offset + batch; i++) {
        const p = 100 + Math.sin(i / 50);
        candles.push({
          ts: t0 + i * 60_000,
          open: p,
          high: p + 0.5,
          low: p - 0.5,
          close: p + 0.1,
          volume: i % 97,
        });
      }
      const start = performance.now();
      store.insert(key, candles);
      insertMs += performance.now() - start;
    }
    const readStart = performance.now();
    const read = store.range(key, t0, t0 + total * 60_000);
    const readMs = performance.now() - readStart;
    if (read.length !== total) throw new Error(`read ${read.length} candles, expected ${total}`);
    const missingStart = performance.now();
    const missing = store.missing(key, t0, t0 + total * 60_000, 60_000);
    const missingMs = performance.now() - missingStart;
    if (missing.length !== 0) throw new Error('store lost candles');
    store.close();
    return {
      candles: total,
      insertPerSecond: Math.round(total / (insertMs / 1000)),
      rangeReadPerSecond: Math.round(total / (readMs / 1000)),
      gapScanPerSecond: Math.round(total / (missingMs / 1000)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stderr.write('market bench: simulated market at 1000×…\n');
const sim1000 = await simLatency(1000, 100, 40);
process.stderr.write('market bench: simulated market at 10000×…\n');
const sim10000 = await simLatency(10_000, 100, 100);
process.stderr.write('market bench: simulated market flat out (1 000 000×)…\n');
const simMax = await simLatency(1_000_000, 100, 2000);
process.stderr.write('market bench: simulated flat out without the microstructure layer…\n');
const simMaxPlain = await simLatency(1_000_000, 100, 2000, false);
process.stderr.write(
  'market bench: simulated candle generation, 100 symbols, with and without the layer…\n',
);
const generated = generation(100, 10_000, 7);
process.stderr.write('market bench: candle store, 1 000 000 candles…\n');
const store = storeThroughput(1_000_000);
process.stdout.write(
  `${JSON.stringify({ simulatedDelivery: [sim1000, sim10000], simulatedThroughput: { speed: simMax.speed, symbols: simMax.symbols, candlesPerSecond: simMax.candlesPerSecond, withoutLayerCandlesPerSecond: simMaxPlain.candlesPerSecond }, simulatedGeneration: generated, candleStore: store }, null, 2)}\n`,
);
