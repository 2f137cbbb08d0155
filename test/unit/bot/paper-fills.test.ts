/**
 * Paper fills in the engine: an order decided on candle i's close is journaled open and
 * fills at candle i+1's open (slippage and fee from the bot's fee settings), before
 * candle i+1's own signals are decided; a replay's trades do not depend on its speed or
 * on how slow the strategy answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { Fill, Order } from '../../../src/core/api/schemas.ts';
import { ReplaySource } from '../../../src/core/market/replay-source.ts';
import { sleepReal } from '../../../src/core/market/clock.ts';
import { simCandles, tradeKey, writeReplayFile } from '../../support/replay-file.ts';
import {
  FakeMarket,
  FakePool,
  makeManager,
  patternAction,
  priceAt,
  waitFor,
  type TestManager,
} from './doubles.ts';

let t: TestManager | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await t?.cleanup();
  t = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('paper fills', () => {
  it('fill at the next candle’s open, with the configured slippage and fee; the order is journaled open first', async () => {
    t = makeManager({
      settings: {
        bot: {
          symbols: ['BTC/USDT'],
          warmupCandles: 5,
          fees: { feeRate: 0.002, slippageBps: 20 },
        },
      },
    });
    const orders: Order[] = [];
    t.bus.on('order', (o) => orders.push(o));
    await t.manager.start();
    await waitFor(() => t!.manager.status().fills >= 2, 10_000, 'a round trip');
    await t.manager.stop();
    const fills = t.manager.journal('paper').fills(100).reverse();
    const [buy, sell] = fills as [Fill, Fill];
    // The pattern enters on candle times ≡ 0 (mod 6 minutes) and exits three candles later.
    expect(patternAction(buy.ts - 60_000)).toBe('enter_long');
    expect(patternAction(sell.ts - 60_000)).toBe('exit');
    expect(buy.price).toBeCloseTo(priceAt('BTC/USDT', buy.ts) * 1.002, 6);
    expect(sell.price).toBeCloseTo(priceAt('BTC/USDT', sell.ts) * 0.998, 6);
    expect(buy.fee).toBeCloseTo(buy.amount * buy.price * 0.002, 9);
    expect(sell.amount).toBe(buy.amount);
    const mine = orders.filter((o) => o.id === buy.orderId);
    expect(mine.map((o) => o.status)).toEqual(['open', 'filled']);
    expect(mine[0]!.price).toBeNull();
  });

  it('a failed compute call on candle i+1 still fills the order waiting for its open', async () => {
    t = makeManager({ settings: { bot: { symbols: ['BTC/USDT'], warmupCandles: 5 } } });
    const errors: string[] = [];
    t.bus.on('error', (e) => errors.push(e.message));
    await t.manager.start();
    const pool = t.pools[0]!;
    const evaluate = pool.evaluate.bind(pool);
    let failed = 0;
    pool.evaluate = async (updates, opts) => {
      const ts = updates[0]!.candles[0]!.ts;
      // The candle after an entry signal: the strategy call fails once.
      if (failed === 0 && patternAction(ts - 60_000) === 'enter_long') {
        failed = ts;
        throw new BotDeskError('COMPUTE_ERROR', 'worker hiccup');
      }
      return evaluate(updates, opts);
    };
    await waitFor(() => t!.manager.status().fills >= 1, 10_000, 'a fill');
    await t.manager.stop();
    const [buy] = t.manager.journal('paper').fills(100).reverse();
    expect(buy!.ts).toBe(failed);
    expect(buy!.price).toBeCloseTo(priceAt('BTC/USDT', failed) * 1.0005, 6);
    expect(errors.join('\n')).toMatch(/tick failed: worker hiccup/);
  });

  it('zero fee and slippage fill exactly at the open', async () => {
    t = makeManager({
      settings: {
        bot: { symbols: ['ETH/USDT'], warmupCandles: 5, fees: { feeRate: 0, slippageBps: 0 } },
      },
    });
    await t.manager.start();
    await waitFor(() => t!.manager.status().fills >= 1, 10_000, 'a fill');
    await t.manager.stop();
    const [fill] = t.manager.journal('paper').fills(1);
    expect(fill!.price).toBe(priceAt('ETH/USDT', fill!.ts));
    expect(fill!.fee).toBe(0);
  });

  it('a real-time exchange feed that fell behind merges late candle times, counts them and says so', async () => {
    t = makeManager({
      market: { intervalMs: 2 },
      deps: {
        createMarket: () => {
          const m = new FakeMarket({ intervalMs: 2 });
          Object.defineProperty(m, 'kind', { value: 'ccxt' });
          return m;
        },
      },
    });
    await t.manager.start();
    const pool = t.pools[0]!;
    const evaluate = pool.evaluate.bind(pool);
    pool.evaluate = async (updates, opts) => {
      await sleepReal(25);
      return evaluate(updates, opts);
    };
    await waitFor(() => t!.manager.status().missedTicks > 3, 10_000, 'merged candle times');
    const s = t.manager.status();
    expect(s.warnings.join('\n')).toMatch(/arrived late from the exchange feed and were merged/);
    await t.manager.stop();
  });

  it('a replay gives the same fills at any speed and however slowly the strategy answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-paced-'));
    dirs.push(dir);
    const file = join(dir, 'sim.json');
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
    writeReplayFile(
      file,
      await simCandles({ symbols, candles: 100, gaps: { 'SOL/USDT': [40, 41] } }),
    );
    // A deterministic "load": evaluation delays from 0 to 6 ms, varying run to run.
    let jitter = 0;
    const runs: string[][] = [];
    for (const speed of [1000, 1_000_000, 1_000_000]) {
      const data = mkdtempSync(join(tmpdir(), 'botdesk-paced-'));
      dirs.push(data);
      t = makeManager({
        dataDir: data,
        settings: {
          bot: { symbols, warmupCandles: 10, market: { source: 'replay', file, speed } },
        },
        deps: {
          createMarket: () => new ReplaySource({ file, speed }),
          createPool: () => {
            const pool = new FakePool();
            const evaluate = pool.evaluate.bind(pool);
            pool.evaluate = async (updates, opts) => {
              jitter = (jitter + 7) % 13;
              if (speed > 1000) await sleepReal(jitter / 2);
              return evaluate(updates, opts);
            };
            return pool;
          },
        },
      });
      await t.manager.start();
      await waitFor(() => t!.manager.status().state === 'stopped', 20_000, 'the replay to end');
      expect(t.manager.status().missedTicks).toBe(0);
      runs.push(t.manager.journal('paper').fills(100_000).reverse().map(tradeKey));
      await t.cleanup();
      t = null;
    }
    expect(runs[0]!.length).toBeGreaterThan(10);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  }, 60_000);
});
