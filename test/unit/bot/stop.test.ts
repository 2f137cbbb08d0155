/**
 * Safe stop against the two ways a bot can hang: a strategy stuck in an endless loop in
 * a real compute worker process (the real ComputePool), and a network call that never
 * answers and ignores the abort signal (a real socket to a server on 127.0.0.1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, Agent, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timeframe } from '../../../src/core/api/schemas.ts';
import { createComputePool } from '../../../src/core/compute/pool.ts';
import type { ComputePool } from '../../../src/core/compute/types.ts';
import type { CandleEvent, SubscribeOptions } from '../../../src/core/market/types.ts';
import { alive, childPids } from '../../support/child-processes.ts';
import { STUCK_STRATEGY_ID, writeStuckStrategy } from './stuck-strategy.ts';
import { FakeMarket, makeManager, waitFor, type TestManager } from './doubles.ts';

/** Margin over the stop timeout for closing the pool and the market; generous for a loaded CI box. */
const MARGIN_MS = 3000;

function resourceCount(kind: string): number {
  return process.getActiveResourcesInfo().filter((r) => r === kind).length;
}

let t: TestManager | null = null;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await t?.cleanup();
  t = null;
  for (const c of cleanups.splice(0)) await c();
});

describe('safe stop', () => {
  it('stop() kills a compute worker stuck in an endless loop and reports a forced stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-stuck-'));
    const strategiesDir = join(dataDir, 'strategies');
    mkdirSync(strategiesDir);
    writeStuckStrategy(strategiesDir);
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const pools: ComputePool[] = [];
    let evaluations = 0;
    t = makeManager({
      dataDir,
      market: { intervalMs: 20 },
      deps: {
        createPool: () => {
          const pool = createComputePool({ size: 1, strategiesDir, watch: false });
          const evaluate = pool.evaluate.bind(pool);
          pool.evaluate = (updates, options) => {
            evaluations += 1;
            return evaluate(updates, options);
          };
          pools.push(pool);
          return pool;
        },
      },
    });
    await t.manager.start({
      symbols: ['BTC/USDT'],
      warmupCandles: 5,
      strategy: { id: STUCK_STRATEGY_ID, params: { after: 5 } },
      computeDeadlineMs: 60_000,
    });
    // The first live candle's tick is now stuck in the worker.
    await waitFor(() => evaluations > 0, 10_000, 'the first live tick');
    const pids = pools[0]!.pids();
    expect(pids.length).toBe(1);
    expect(pids.every(alive)).toBe(true);

    const timeoutMs = 500;
    const t0 = performance.now();
    const s = await t.manager.stop({ reason: 'stuck strategy', timeoutMs });
    const elapsed = performance.now() - t0;

    expect(s.state).toBe('stopped');
    expect(s.ticks).toBe(0);
    expect(s.lastStop).toMatchObject({ reason: 'stuck strategy', forced: true });
    expect(s.lastStop!.durationMs).toBeGreaterThanOrEqual(timeoutMs);
    expect(elapsed).toBeLessThan(timeoutMs + MARGIN_MS);
    expect(pids.filter(alive)).toEqual([]);
    expect(pools[0]!.pids()).toEqual([]);
    expect(childPids()).toEqual([]);
  });

  it('stop() cancels a network call that never answers and reports a forced stop', async () => {
    const sockets = new Set<Socket>();
    let closedSockets = 0;
    const server: Server = createServer(() => {
      /* never answers */
    });
    server.on('connection', (sock) => {
      sockets.add(sock);
      sock.on('close', () => (closedSockets += 1));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;
    const timersBefore = resourceCount('Timeout');
    const socketsBefore = resourceCount('TCPSocketWrap');

    /** A feed whose request ignores the abort signal, as some client libraries do; close() cancels it. */
    class HangingMarket extends FakeMarket {
      readonly agent = new Agent({ keepAlive: false });
      // eslint-disable-next-line require-yield
      override async *subscribe(
        _symbols: readonly string[],
        _tf: Timeframe,
        _opts: SubscribeOptions,
      ): AsyncGenerator<CandleEvent> {
        await new Promise((resolve, reject) =>
          get(`http://127.0.0.1:${port}/candles`, { agent: this.agent }, resolve).on(
            'error',
            reject,
          ),
        );
      }
      override async close(): Promise<void> {
        this.agent.destroy();
        await super.close();
      }
    }
    const pools: ComputePool[] = [];
    t = makeManager({
      deps: {
        createMarket: () => new HangingMarket(),
        createPool: () => {
          const pool = createComputePool({ size: 1, watch: false });
          pools.push(pool);
          return pool;
        },
      },
    });
    await t.manager.start({ warmupCandles: 3 });
    await waitFor(() => sockets.size === 1, 10_000, 'the request to reach the server');
    const pids = pools[0]!.pids();
    expect(pids.length).toBe(1);

    const timeoutMs = 300;
    const t0 = performance.now();
    const s = await t.manager.stop({ reason: 'feed hangs', timeoutMs });
    const elapsed = performance.now() - t0;

    expect(s.state).toBe('stopped');
    expect(s.lastStop).toMatchObject({ reason: 'feed hangs', forced: true });
    expect(elapsed).toBeLessThan(timeoutMs + MARGIN_MS);
    await waitFor(() => closedSockets === 1, 5000, 'the server to see the request cancelled');
    expect(resourceCount('TCPSocketWrap')).toBe(socketsBefore);
    expect(pids.filter(alive)).toEqual([]);
    expect(childPids()).toEqual([]);
    expect(resourceCount('Timeout')).toBeLessThanOrEqual(timersBefore);
  });

  it('a graceful stop leaves no timer behind and is not forced', async () => {
    const timersBefore = resourceCount('Timeout');
    t = makeManager({ market: { intervalMs: 2 } });
    await t.manager.start();
    await waitFor(() => t!.manager.status().ticks > 3, 10_000, 'ticks');
    const s = await t.manager.stop({ timeoutMs: 5000 });
    expect(s.lastStop?.forced).toBe(false);
    expect(resourceCount('Timeout')).toBeLessThanOrEqual(timersBefore);
  });
});
