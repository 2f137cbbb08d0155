/**
 * Compute benchmark: strategy evaluation in-process versus through the ComputePool.
 *
 * 1. Responsiveness: ≥ 200 pairs running a CPU-heavy user strategy (≥ 200 ms of work per
 *    tick in total), one new candle per pair per tick. Event-loop delay of this process
 *    (perf_hooks.monitorEventLoopDelay) and tick latency, in-process vs pool.
 * 2. Throughput: SMA crossover on many pairs, many candles per tick (batched: one message
 *    per worker per tick), pair-updates per second in-process vs pool.
 * 3. Allocation on the worker's hot path (StrategyRuntime.tick): bytes per pair-update.
 *
 * Prints one JSON document on stdout; progress goes to stderr.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as turn } from 'node:timers/promises';
import type { Candle, Signal } from '../src/core/api/schemas.ts';
import { createComputePool } from '../src/core/compute/pool.ts';
import { CANDLE_STRIDE, packCandles, PROTOCOL_VERSION } from '../src/core/compute/protocol.ts';
import { StrategyRuntime } from '../src/core/compute/strategy-runtime.ts';
import { prepareStrategy, signalOf } from '../src/core/strategy/definition.ts';
import { BUILTIN_STRATEGIES, getBuiltinStrategy } from '../src/core/strategy/registry.ts';
import type { StrategyDefinition, StrategyInstance } from '../src/core/strategy/types.ts';
import { loadUserStrategies } from '../src/core/strategy/user-strategies.ts';
import { randomWalk } from '../test/fixtures/strategies/candles.ts';

const log = (msg: string) => process.stderr.write(`compute bench: ${msg}\n`);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const latency = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return {
    p50: round(quantile(s, 0.5)),
    p99: round(quantile(s, 0.99)),
    max: round(s.at(-1) ?? Number.NaN),
  };
};

/**
 * Runs `ticks` rounds of `tick` while sampling this process's event-loop delay; round 0
 * warms the code up (JIT) and is not measured.
 */
async function measure(ticks: number, tick: (i: number) => Promise<unknown>) {
  await tick(0);
  const h = monitorEventLoopDelay({ resolution: 1 });
  const times: number[] = [];
  h.enable();
  for (let i = 1; i < ticks; i++) {
    const t0 = performance.now();
    await tick(i);
    times.push(performance.now() - t0);
    // Let timers and I/O run between ticks, as the engine's loop would.
    await turn();
  }
  h.disable();
  const ms = (ns: number) => round(ns / 1e6);
  return {
    eventLoopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) },
    tickLatencyMs: latency(times),
    totalMs: round(times.reduce((a, b) => a + b, 0)),
  };
}

/** The engine's job without a pool: every pair's update on this thread, building the same Signals. */
function inProcessTick(
  pairs: Array<{ symbol: string; instance: StrategyInstance; def: StrategyDefinition }>,
  candlesOf: (p: number) => Candle[],
): Signal[][] {
  return pairs.map(({ symbol, instance }, p) =>
    candlesOf(p).map((c) => signalOf(symbol, c, instance.update(c))),
  );
}

const fixtures = join(import.meta.dirname, '../test/fixtures/strategies');
const dir = mkdtempSync(join(tmpdir(), 'botdesk-compute-bench-'));
copyFileSync(join(fixtures, 'test-busy.mjs'), join(dir, 'test-busy.mjs'));
const poolSize = Math.max(1, availableParallelism() - 1);

try {
  // ---- 1. responsiveness under a CPU-heavy strategy ----------------------------------
  const busyPairs = 200;
  const busyTicks = 9;
  const { definitions } = await loadUserStrategies(
    dir,
    new Set(BUILTIN_STRATEGIES.map((d) => d.id)),
  );
  const busy = definitions.find((d) => d.id === 'test-busy')!;
  // Calibrate the work so the whole tick costs ≥ 200 ms on this machine (≥ 1 ms per pair).
  let work = 20_000;
  for (;;) {
    const { instance } = prepareStrategy(busy, { work });
    const probe = randomWalk(20, 5);
    const t0 = performance.now();
    for (const c of probe) instance.update(c);
    const perUpdate = (performance.now() - t0) / probe.length;
    if (perUpdate * busyPairs >= 250) break;
    work = Math.ceil(work * Math.max(1.2, 260 / busyPairs / perUpdate));
  }
  log(`busy strategy: work=${work}`);
  const busyCandles = randomWalk(busyTicks + 1, 9);
  const busyHistory = busyCandles.slice(0, 1);
  const busyTickCandles = (i: number) => [busyCandles[i + 1]!];

  log('responsiveness: in-process');
  const localBusy = Array.from({ length: busyPairs }, (_, p) => {
    const { instance } = prepareStrategy(busy, { work });
    for (const c of busyHistory) instance.update(c);
    return { symbol: `P${p}/USDT`, instance, def: busy };
  });
  const busyInProcess = await measure(busyTicks, async (i) =>
    inProcessTick(localBusy, () => busyTickCandles(i)),
  );

  log(`responsiveness: pool of ${poolSize}`);
  const busyPool = createComputePool({
    size: poolSize,
    strategiesDir: dir,
    watch: false,
    deadlineMs: 60_000,
  });
  await Promise.all(
    Array.from({ length: busyPairs }, (_, p) =>
      busyPool.addPair({
        key: `P${p}`,
        symbol: `P${p}/USDT`,
        strategy: { id: 'test-busy', params: { work } },
        history: busyHistory,
      }),
    ),
  );
  const busyPooled = await measure(busyTicks, (i) =>
    busyPool.evaluate(
      Array.from({ length: busyPairs }, (_, p) => ({ key: `P${p}`, candles: busyTickCandles(i) })),
    ),
  );
  await busyPool.close();

  // ---- 2. throughput: SMA crossover, batched --------------------------------------------
  const smaPairs = 1000;
  const perTick = 500;
  const smaTicks = 7;
  const sma = getBuiltinStrategy('sma-crossover')!;
  const series = randomWalk(40 + perTick * smaTicks, 21);
  const smaHistory = series.slice(0, 40);
  const smaTick = (i: number) => series.slice(40 + i * perTick, 40 + (i + 1) * perTick);
  const updatesPerTick = smaPairs * perTick;

  log('throughput: in-process');
  const localSma = Array.from({ length: smaPairs }, (_, p) => {
    const { instance } = prepareStrategy(sma, {});
    for (const c of smaHistory) instance.update(c);
    return { symbol: `P${p}/USDT`, instance, def: sma };
  });
  const smaInProcess = await measure(smaTicks, async (i) => {
    const candles = smaTick(i);
    inProcessTick(localSma, () => candles);
  });

  log(`throughput: pool of ${poolSize}`);
  const smaPool = createComputePool({
    size: poolSize,
    watch: false,
    deadlineMs: 60_000,
    tailCandles: 100,
  });
  await Promise.all(
    Array.from({ length: smaPairs }, (_, p) =>
      smaPool.addPair({
        key: `P${p}`,
        symbol: `P${p}/USDT`,
        strategy: { id: 'sma-crossover', params: {} },
        history: smaHistory,
      }),
    ),
  );
  const smaPooled = await measure(smaTicks, (i) => {
    const candles = smaTick(i);
    return smaPool.evaluate(
      Array.from({ length: smaPairs }, (_, p) => ({ key: `P${p}`, candles })),
    );
  });
  await smaPool.close();

  // ---- 3. the worker's hot path alone: speed and allocation -------------------------------
  log('worker hot path');
  const runtime = new StrategyRuntime();
  const packedHistory = new Float64Array(smaHistory.length * CANDLE_STRIDE);
  packCandles(smaHistory, packedHistory, 0);
  for (let p = 0; p < smaPairs; p++) {
    runtime.add({
      v: PROTOCOL_VERSION,
      type: 'add',
      id: p,
      slot: p,
      strategy: { id: 'sma-crossover', params: {} },
      history: packedHistory,
      tolerant: false,
      tailOutputs: 0,
    });
  }
  const slots = Int32Array.from({ length: smaPairs }, (_, p) => p);
  const hotRuns: number[] = [];
  let scavenges = 0;
  const gc = new PerformanceObserver((list) => {
    scavenges += list.getEntries().length;
  });
  gc.observe({ entryTypes: ['gc'] });
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < smaTicks; i++) {
    const candles = smaTick(i);
    const buf = new Float64Array(smaPairs * perTick * CANDLE_STRIDE);
    for (let p = 0; p < smaPairs; p++) packCandles(candles, buf, p * perTick * CANDLE_STRIDE);
    const counts = new Int32Array(smaPairs).fill(perTick);
    const t0 = performance.now();
    runtime.tick({ v: PROTOCOL_VERSION, type: 'tick', id: i, slots, counts, candles: buf });
    hotRuns.push(performance.now() - t0);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  await turn();
  gc.disconnect();
  const hotTotal = hotRuns.reduce((a, b) => a + b, 0);

  const perSecond = (ms: number, updates: number) => Math.round(updates / (ms / 1000));
  const result = {
    // Other processes competing for the cores show up in every figure here, the event-loop delay included.
    machine: { cores: availableParallelism(), poolSize, loadAverage1mAtEnd: round(loadavg()[0]!) },
    responsiveness: {
      workload: {
        pairs: busyPairs,
        measuredTicks: busyTicks - 1,
        candlesPerPairPerTick: 1,
        strategy: 'test-busy (user fixture)',
        work,
      },
      inProcess: busyInProcess,
      pool: busyPooled,
      targetPoolEventLoopP99Ms: 5,
    },
    throughput: {
      workload: {
        strategy: 'sma-crossover',
        pairs: smaPairs,
        candlesPerPairPerTick: perTick,
        measuredTicks: smaTicks - 1,
        updatesPerTick,
      },
      inProcess: {
        ...smaInProcess,
        pairUpdatesPerSec: perSecond(smaInProcess.totalMs, updatesPerTick * (smaTicks - 1)),
      },
      pool: {
        ...smaPooled,
        pairUpdatesPerSec: perSecond(smaPooled.totalMs, updatesPerTick * (smaTicks - 1)),
      },
      targetPoolPairUpdatesPerSec: 500_000,
    },
    workerHotPath: {
      note: 'StrategyRuntime.tick on packed candles (what a worker runs per message), without IPC or Signal objects',
      pairUpdatesPerSec: perSecond(hotTotal, updatesPerTick * smaTicks),
      gcEventsDuringRun: scavenges,
      heapGrowthBytesPerUpdate: round(
        Math.max(0, heapAfter - heapBefore) / (updatesPerTick * smaTicks),
        3,
      ),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
