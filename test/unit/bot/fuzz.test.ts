/**
 * Concurrency fuzz: 50 callers × 200 random control calls with random delays against one
 * manager. Invariants: never more than one worker tick loop (counted at BotEngine.run), market subscription or compute
 * pool alive at once, every stop graceful, the final state is the one the last completed
 * lock-holding call reported, nothing left running, no unhandled rejection (test/setup).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { BotStatus } from '../../../src/core/api/schemas.ts';
import { sleepReal as delay } from '../../../src/core/market/clock.ts';
import { BotEngine } from '../../../src/core/bot/engine/engine.ts';
import { FakePool, makeManager, type LoopCounter } from './doubles.ts';

const CALLERS = 50;
const CALLS_EACH = 200;

/** mulberry32: a seeded PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const counter: LoopCounter = { active: 0, max: 0, opened: 0 };
/** Tick loops alive right now, counted at the loop itself (BotEngine.run) at every instant. */
const loops = { alive: 0, max: 0 };
const realRun = BotEngine.prototype.run;
BotEngine.prototype.run = async function (this: BotEngine) {
  loops.alive += 1;
  loops.max = Math.max(loops.max, loops.alive);
  try {
    return await realRun.call(this);
  } finally {
    loops.alive -= 1;
  }
};
let openPools = 0;
let maxOpenPools = 0;
let poolsMade = 0;
const t = makeManager({
  market: { intervalMs: 1, counter, closeLagMs: 3 },
  deps: {
    createPool: () => {
      openPools += 1;
      maxOpenPools = Math.max(maxOpenPools, openPools);
      const pool = new FakePool();
      // Every fourth warm-up takes a while, so some stops land while the bot is starting.
      const slow = ++poolsMade % 4 === 0;
      const addPair = pool.addPair.bind(pool);
      pool.addPair = async (spec) => {
        if (slow) await delay(3);
        return addPair(spec);
      };
      const close = pool.close.bind(pool);
      pool.close = async () => {
        if (!pool.closed) openPools -= 1;
        await close();
      };
      return pool;
    },
  },
});
afterAll(async () => {
  await t.cleanup();
  BotEngine.prototype.run = realRun;
});

describe('BotManager under concurrent random calls', () => {
  it(`${CALLERS} callers × ${CALLS_EACH} calls keep every invariant`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261125);
    const results: { op: string; status: BotStatus }[] = [];
    const unexpected: unknown[] = [];
    const counts: Record<string, number> = {};
    let cancelledStarts = 0;

    const caller = async (id: number) => {
      const rnd = prng(seed + id);
      for (let i = 0; i < CALLS_EACH; i++) {
        const r = rnd();
        const wait = Math.floor(rnd() * 3);
        if (wait > 0) await delay(wait);
        else await new Promise<void>((res) => setImmediate(res));
        let op: string;
        let call: Promise<BotStatus> | BotStatus;
        if (r < 0.25) {
          op = 'start';
          call = t.manager.start();
        } else if (r < 0.5) {
          op = 'stop';
          call = t.manager.stop({ reason: `caller ${id}`, timeoutMs: 2000 });
        } else if (r < 0.7) {
          op = 'status';
          call = t.manager.status();
        } else if (r < 0.85) {
          op = 'updateConfig';
          call = t.manager.updateConfig({
            risk: {
              stakeFraction: 0.05 + rnd() * 0.2,
              maxOpenPositions: 1 + Math.floor(rnd() * 4),
              maxDailyLoss: 0.05,
            },
            ...(rnd() < 0.3 ? { timeframe: rnd() < 0.5 ? '1m' : '5m' } : {}),
          });
        } else {
          op = rnd() < 0.5 ? 'pause' : 'resume';
          call = op === 'pause' ? t.manager.pauseEntries() : t.manager.resumeEntries();
        }
        counts[op] = (counts[op] ?? 0) + 1;
        try {
          const status = await call;
          if (op !== 'status') results.push({ op, status });
          if (op === 'stop' && status.lastStop?.forced)
            unexpected.push(new Error(`forced stop: ${JSON.stringify(status.lastStop)}`));
          // status() is a snapshot and never waits: it must always be a coherent one.
          expect(['idle', 'starting', 'running', 'stopping', 'stopped']).toContain(
            t.manager.status().state,
          );
        } catch (err) {
          if (op === 'start' && err instanceof BotDeskError && err.code === 'CANCELLED')
            cancelledStarts += 1;
          else unexpected.push(err);
        }
        expect(counter.active).toBeLessThanOrEqual(1);
        expect(loops.alive).toBeLessThanOrEqual(1);
      }
    };

    await Promise.all(Array.from({ length: CALLERS }, (_, i) => caller(i)));

    expect(unexpected).toEqual([]);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(CALLERS * CALLS_EACH);
    expect(counter.max).toBe(1);
    expect(loops.max).toBe(1);
    expect(maxOpenPools).toBe(1);
    expect(counter.opened).toBeGreaterThan(10);

    // The last completed lock-holding call is the one with the highest revision.
    const last = results.reduce((a, b) => (b.status.rev > a.status.rev ? b : a));
    const final = t.manager.status();
    expect(final.state).toBe(last.status.state);
    expect(final.entriesPaused).toBe(last.status.entriesPaused);
    expect(final.config).toEqual(last.status.config);
    if (final.state === 'running') expect(loops.alive).toBe(1);
    else expect(loops.alive).toBe(0);

    const stopped = await t.manager.stop({ reason: 'fuzz over' });
    expect(stopped.state).toBe('stopped');
    expect(counter.active).toBe(0);
    expect(loops.alive).toBe(0);
    expect(openPools).toBe(0);
    expect(t.markets.every((m) => m.closed)).toBe(true);
    console.log(JSON.stringify({ counts, cancelledStarts, runs: counter.opened }));
  });
});
