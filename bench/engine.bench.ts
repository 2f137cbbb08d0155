/**
 * Engine benchmark (one JSON document on stdout, logs on stderr):
 * - graceful stop latency p50/p99 over ≥ 200 start/stop cycles of a paper bot on the
 *   simulated market with the real compute pool (target p99 ≤ 100 ms);
 * - forced stop latency against the stop timeout, with a strategy stuck in an endless
 *   loop inside a real compute worker;
 * - child processes left after all cycles (target 0).
 * Run alone: node bench/engine.bench.ts [cycles]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoreHost } from '../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../src/core/settings/store.ts';
import { childPids } from '../test/support/child-processes.ts';
import { STUCK_STRATEGY_ID, writeStuckStrategy } from '../test/unit/bot/stuck-strategy.ts';

const CYCLES = Number(process.argv[2] ?? 200);
const FORCED_TIMEOUTS = [100, 250, 500, 1000];
const FORCED_REPS = 3;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 100) / 100;
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: percentile(s, 100),
  };
}

async function waitForTick(ticks: () => number, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (ticks() === 0) {
    if (performance.now() > end) throw new Error(`no tick within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-engine-'));
const strategiesDir = join(dataDir, 'strategies');
mkdirSync(strategiesDir);
writeStuckStrategy(strategiesDir);
const host = await createCoreHost({
  dataDir,
  settings: createConfSettingsStore(dataDir),
  resume: false,
  logger: (line) => {
    if (line.level === 'error') process.stderr.write(`${line.scope}: ${line.message}\n`);
  },
});
const m = host.manager;
const baseline = childPids();

const graceful: number[] = [];
const wall: number[] = [];
let forcedInGraceful = 0;
process.stderr.write(`engine bench: ${CYCLES} graceful start/stop cycles…\n`);
for (let i = 0; i < CYCLES; i++) {
  await m.start({
    market: { source: 'sim', speed: 6000, seed: i },
    symbols: ['BTC/USDT', 'ETH/USDT'],
    timeframe: '1m',
    warmupCandles: 40,
  });
  await waitForTick(() => m.status().ticks, 30_000);
  const t0 = performance.now();
  const s = await m.stop({ reason: 'bench', timeoutMs: 5000 });
  wall.push(performance.now() - t0);
  graceful.push(s.lastStop!.durationMs);
  if (s.lastStop!.forced) forcedInGraceful += 1;
}
const leftAfterGraceful = childPids().filter((p) => !baseline.includes(p)).length;

process.stderr.write('engine bench: forced stops with a stuck strategy…\n');
const forced: {
  timeoutMs: number;
  durationMs: ReturnType<typeof stats>;
  overheadMs: ReturnType<typeof stats>;
  allForced: boolean;
}[] = [];
for (const timeoutMs of FORCED_TIMEOUTS) {
  const durations: number[] = [];
  let allForced = true;
  for (let r = 0; r < FORCED_REPS; r++) {
    await m.start({
      market: { source: 'sim', speed: 600, seed: r },
      symbols: ['BTC/USDT'],
      timeframe: '1m',
      warmupCandles: 5,
      strategy: { id: STUCK_STRATEGY_ID, params: { after: 5 } },
      computeDeadlineMs: 60_000,
    });
    await new Promise((res) => setTimeout(res, 400));
    const s = await m.stop({ reason: 'bench forced', timeoutMs });
    durations.push(s.lastStop!.durationMs);
    allForced &&= s.lastStop!.forced;
  }
  forced.push({
    timeoutMs,
    durationMs: stats(durations),
    overheadMs: stats(durations.map((d) => d - timeoutMs)),
    allForced,
  });
}

await host.close();
const leftAtEnd = childPids().filter((p) => !baseline.includes(p)).length;
rmSync(dataDir, { recursive: true, force: true });

process.stdout.write(
  `${JSON.stringify(
    {
      gracefulStop: {
        cycles: CYCLES,
        durationMs: stats(graceful),
        callLatencyMs: stats(wall),
        targetP99Ms: 100,
        meetsTarget: stats(graceful).p99 <= 100,
        unexpectedlyForced: forcedInGraceful,
      },
      forcedStop: forced,
      childProcessesLeft: { afterGracefulCycles: leftAfterGraceful, atEnd: leftAtEnd, target: 0 },
    },
    null,
    2,
  )}\n`,
);
