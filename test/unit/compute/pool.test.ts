import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { Candle, Signal } from '../../../src/core/api/schemas.ts';
import {
  createComputePool,
  type ComputePoolOptions,
  type StrategyComputePool,
} from '../../../src/core/compute/pool.ts';
import type { PairResult } from '../../../src/core/compute/types.ts';
import { prepareStrategy, signalOf } from '../../../src/core/strategy/definition.ts';
import { getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';
import { randomWalk } from '../../fixtures/strategies/candles.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/strategies');

/** The reference: the same definitions run in this process, candle by candle. */
function inProcess(
  id: string,
  params: Record<string, unknown>,
  symbol: string,
  history: Candle[],
  ticks: Candle[][],
): Signal[][] {
  const { instance } = prepareStrategy(getBuiltinStrategy(id)!, params);
  for (const c of history) instance.update(c);
  return ticks.map((candles) => candles.map((c) => signalOf(symbol, c, instance.update(c))));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ESRCH');
    return false;
  }
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(25);
  }
  throw new Error(`gave up waiting for ${what}`);
}

const rejection = async (p: Promise<unknown>): Promise<BotDeskError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BotDeskError);
    return err as BotDeskError;
  }
  throw new Error('expected a rejection');
};

let dir: string;
const pools: StrategyComputePool[] = [];
function pool(opts: ComputePoolOptions = {}): StrategyComputePool {
  const p = createComputePool({ size: 2, strategiesDir: dir, ...opts });
  pools.push(p);
  return p;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-pool-'));
  for (const f of ['test-faulty.mjs', 'test-env.mjs'])
    copyFileSync(join(fixtures, f), join(dir, f));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

const candles = randomWalk(400, 11);
const history = candles.slice(0, 200);
const ticks = [
  candles.slice(200, 201),
  candles.slice(201, 205),
  candles.slice(205, 206),
  candles.slice(206, 260),
];
const pairs = [
  { key: 'BTC/USDT@1m', symbol: 'BTC/USDT', id: 'sma-crossover', params: {} },
  { key: 'ETH/USDT@1m', symbol: 'ETH/USDT', id: 'ema-crossover', params: { fast: 5, slow: 20 } },
  { key: 'SOL/USDT@1m', symbol: 'SOL/USDT', id: 'rsi-reversion', params: {} },
  { key: 'XRP/USDT@1m', symbol: 'XRP/USDT', id: 'macd-cross', params: {} },
  { key: 'ADA/USDT@1m', symbol: 'ADA/USDT', id: 'bollinger-reversion', params: {} },
  { key: 'DOT/USDT@1m', symbol: 'DOT/USDT', id: 'bollinger-breakout', params: { deviations: 1.5 } },
  { key: 'LTC/USDT@1m', symbol: 'LTC/USDT', id: 'donchian-breakout', params: {} },
];

const add = (
  p: StrategyComputePool,
  key: string,
  symbol: string,
  id: string,
  params: Record<string, unknown>,
  reportTail?: number,
) => p.addPair({ key, symbol, strategy: { id, params }, history, reportTail });

const tickFor = (t: Candle[], keys: string[]) => keys.map((key) => ({ key, candles: t }));
const okSignals = (r: PairResult | undefined): Signal[] => {
  if (!r?.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.signals;
};

describe('ComputePool', () => {
  it('gives the same signals as running the strategies in-process, across workers', async () => {
    const p = pool();
    await Promise.all(
      pairs.map((x) =>
        p.addPair({
          key: x.key,
          symbol: x.symbol,
          strategy: { id: x.id, params: x.params },
          history,
        }),
      ),
    );
    expect(p.pids()).toHaveLength(2);
    const got: Signal[][][] = pairs.map(() => []);
    for (const t of ticks) {
      const results = await p.evaluate(
        tickFor(
          t,
          pairs.map((x) => x.key),
        ),
      );
      expect(results.map((r) => r.key)).toEqual(pairs.map((x) => x.key));
      results.forEach((r, i) => got[i]!.push(okSignals(r)));
    }
    pairs.forEach((x, i) =>
      expect(got[i]).toEqual(inProcess(x.id, x.params, x.symbol, history, ticks)),
    );
    expect(got.flat(2).filter((s) => s.action !== 'hold').length).toBeGreaterThan(0);
  });

  it('addPair reports the signals of the last reportTail history candles, as an in-process replay', async () => {
    const p = pool();
    const tail = 50;
    const reported = await Promise.all(
      pairs.map((x) => add(p, x.key, x.symbol, x.id, x.params, tail)),
    );
    pairs.forEach((x, i) => {
      const expected = inProcess(x.id, x.params, x.symbol, history.slice(0, -tail), [
        history.slice(-tail),
      ])[0];
      expect(reported[i]).toEqual(expected);
      expect(reported[i]!.map((s) => s.ts)).toEqual(history.slice(-tail).map((c) => c.ts));
    });
    // Indicator values appear once the strategy is warm (sma-crossover: both averages).
    expect(reported[0]!.every((s) => typeof s.indicators.smaSlow === 'number')).toBe(true);
    // A longer tail than the history reports every candle; none asked reports none.
    expect(await add(p, 'all', 'BTC/USDT', 'sma-crossover', {}, 1000)).toEqual(
      inProcess('sma-crossover', {}, 'BTC/USDT', [], [history])[0],
    );
    expect(await add(p, 'none', 'BTC/USDT', 'sma-crossover', {})).toEqual([]);
    await expect(add(p, 'neg', 'BTC/USDT', 'sma-crossover', {}, -1)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    // The pairs tick on from where their history ended.
    const [r] = await p.evaluate(tickFor(ticks[0]!, ['all']));
    expect(okSignals(r)).toEqual(
      inProcess('sma-crossover', {}, 'BTC/USDT', history, [ticks[0]!])[0],
    );
  });

  it('a strategy that throws fails only its pair, and only for that tick', async () => {
    const p = pool();
    const at = ticks[0]![0]!.ts;
    await add(p, 'bad', 'BTC/USDT', 'test-faulty', { at, fault: 'throw' });
    await add(p, 'good', 'ETH/USDT', 'sma-crossover', {});
    const pids = p.pids();
    const [bad, good] = await p.evaluate(tickFor(ticks[0]!, ['bad', 'good']));
    expect(bad).toMatchObject({
      key: 'bad',
      ok: false,
      degraded: false,
      error: { code: 'STRATEGY_ERROR' },
    });
    expect(bad!.ok === false && bad!.error.message).toContain(`boom at ${at}`);
    expect(okSignals(good)).toEqual(
      inProcess('sma-crossover', {}, 'ETH/USDT', history, [ticks[0]!])[0],
    );
    const next = await p.evaluate(tickFor(ticks[1]!, ['bad', 'good']));
    expect(okSignals(next[0])).toHaveLength(ticks[1]!.length);
    expect(p.pids()).toEqual(pids);
  });

  it('a strategy that hangs past the deadline: its worker is replaced, its neighbours rebuilt from the tail, the culprit quarantined', async () => {
    const p = pool({ deadlineMs: 1000, replayDeadlineMs: 3000 });
    const at = ticks[1]![2]!.ts;
    // Least-loaded assignment over two workers: hang + b share one worker, a + c the other.
    await add(p, 'hang', 'BTC/USDT', 'test-faulty', { at, fault: 'hang' });
    await add(p, 'a', 'ETH/USDT', 'sma-crossover', {});
    await add(p, 'b', 'SOL/USDT', 'ema-crossover', {});
    await add(p, 'c', 'XRP/USDT', 'rsi-reversion', {});
    const keys = ['hang', 'a', 'b', 'c'];
    await p.evaluate(tickFor(ticks[0]!, keys));
    const before = p.pids();

    const r = await p.evaluate(tickFor(ticks[1]!, keys));
    expect(r[0]).toMatchObject({ ok: false, degraded: true, error: { code: 'TIMEOUT' } });
    expect(r[2]).toMatchObject({ ok: false, degraded: true, error: { code: 'TIMEOUT' } });
    expect(okSignals(r[1])).toEqual(
      inProcess('sma-crossover', {}, 'ETH/USDT', history, [ticks[0]!, ticks[1]!])[1],
    );
    expect(okSignals(r[3])).toHaveLength(ticks[1]!.length);

    // Later ticks: degraded while rebuilding, then b is back with state that includes the lost tick.
    await until(
      async () => ((await p.evaluate([{ key: 'b', candles: [] }]))[0]!.ok ? true : undefined),
      'b to be rebuilt',
    );
    const after = await p.evaluate(tickFor(ticks[2]!, keys));
    expect(okSignals(after[2])).toEqual(
      inProcess('ema-crossover', {}, 'SOL/USDT', history, [ticks[0]!, ticks[1]!, ticks[2]!])[2],
    );
    expect(after[0]).toMatchObject({ ok: false, degraded: false, error: { code: 'TIMEOUT' } });
    expect(after[0]!.ok === false && after[0]!.error.message).toMatch(
      /^hang quarantined \(replaying its candles stopped its worker\)/,
    );
    expect(p.pids()).toHaveLength(2);
    expect(p.pids()).toContain(before[1]);
    const replaced = before.find((pid) => !p.pids().includes(pid))!;
    expect(isAlive(replaced)).toBe(false);
  });

  it('a strategy that crashes its worker: respawned with its pairs rebuilt, the crashing pair quarantined', async () => {
    const p = pool({ replayDeadlineMs: 3000 });
    const at = ticks[0]![0]!.ts;
    await add(p, 'crash', 'BTC/USDT', 'test-faulty', { at, fault: 'crash' });
    await add(p, 'a', 'ETH/USDT', 'sma-crossover', {});
    await add(p, 'b', 'SOL/USDT', 'macd-cross', {});
    const before = p.pids();
    const r = await p.evaluate(tickFor(ticks[0]!, ['crash', 'a', 'b']));
    expect(r[0]).toMatchObject({ ok: false, degraded: true, error: { code: 'COMPUTE_ERROR' } });
    expect(r[0]!.ok === false && r[0]!.error.message).toMatch(/exited \(code 7/);
    expect(r[2]).toMatchObject({ ok: false, degraded: true });
    expect(r[1]!.ok).toBe(true);
    await until(
      async () => ((await p.evaluate([{ key: 'b', candles: [] }]))[0]!.ok ? true : undefined),
      'b to be rebuilt',
    );
    const after = await p.evaluate(tickFor(ticks[1]!, ['crash', 'a', 'b']));
    expect(after[0]).toMatchObject({
      ok: false,
      degraded: false,
      error: { code: 'COMPUTE_ERROR' },
    });
    expect(okSignals(after[2])).toEqual(
      inProcess('macd-cross', {}, 'SOL/USDT', history, [ticks[0]!, ticks[1]!])[1],
    );
    expect(p.pids()).toHaveLength(2);
    expect(p.pids()).not.toContain(before[0]);
  });

  it('a strategy posting outside the protocol cannot reach this process: its worker is replaced, the culprit quarantined', async () => {
    const logs: string[] = [];
    const p = pool({ size: 1, onLog: (_level, message) => logs.push(message) });
    const at = ticks[0]![0]!.ts;
    await add(p, 'noisy', 'BTC/USDT', 'test-faulty', { at, fault: 'post' });
    await add(p, 'a', 'ETH/USDT', 'sma-crossover', {});
    const [before] = p.pids();
    const r = await p.evaluate(tickFor(ticks[0]!, ['noisy', 'a']));
    // Whichever the pool saw first, the stray message or the tick's answer: nothing crashed here.
    expect(r.map((x) => x.key)).toEqual(['noisy', 'a']);
    await until(
      async () => ((await p.evaluate([{ key: 'a', candles: [] }]))[0]!.ok ? true : undefined),
      'a to be rebuilt',
    );
    expect(logs.some((l) => l.includes('sent a message outside the protocol'))).toBe(true);
    expect(p.pids()).not.toContain(before);
    const after = await p.evaluate(tickFor(ticks[1]!, ['noisy', 'a']));
    expect(after[0]).toMatchObject({
      ok: false,
      degraded: false,
      error: { code: 'COMPUTE_ERROR' },
    });
    expect(after[0]!.ok === false && after[0]!.error.message).toMatch(/^noisy quarantined/);
    expect(okSignals(after[1])).toEqual(
      inProcess('sma-crossover', {}, 'ETH/USDT', history, [ticks[0]!, ticks[1]!])[1],
    );
  });

  it('workers get a stripped environment: no secrets from the host process', async () => {
    process.env.BOTDESK_TEST_SECRET = 'api-key-that-must-not-leak';
    try {
      const p = pool({ size: 1 });
      await p.addPair({
        key: 'env',
        symbol: 'BTC/USDT',
        strategy: { id: 'test-env', params: {} },
        history: [],
      });
      const [r] = await p.evaluate([{ key: 'env', candles: ticks[0]! }]);
      const ind = okSignals(r)[0]!.indicators;
      expect(ind.hasSecret).toBe(0);
      expect(ind.envCount).toBeLessThanOrEqual(2);
    } finally {
      delete process.env.BOTDESK_TEST_SECRET;
    }
  });

  it('rejects bad input with a clear error and changes nothing', async () => {
    const p = pool({ size: 1 });
    await add(p, 'k', 'BTC/USDT', 'sma-crossover', {});
    expect(
      (
        await rejection(
          p.addPair({
            key: 'k',
            symbol: 'BTC/USDT',
            strategy: { id: 'sma-crossover', params: {} },
            history,
          }),
        )
      ).code,
    ).toBe('INVALID_INPUT');
    const unknown = await rejection(
      p.addPair({ key: 'x', symbol: 'BTC/USDT', strategy: { id: 'nope', params: {} }, history }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toContain("unknown strategy 'nope'");
    const params = await rejection(
      p.addPair({
        key: 'y',
        symbol: 'BTC/USDT',
        strategy: { id: 'sma-crossover', params: { fast: 50 } },
        history,
      }),
    );
    expect(params.code).toBe('INVALID_INPUT');
    expect(params.message).toContain('fast must be shorter than slow');
    const replay = await rejection(
      p.addPair({
        key: 'z',
        symbol: 'BTC/USDT',
        strategy: { id: 'test-faulty', params: { at: history[5]!.ts, fault: 'throw' } },
        history,
      }),
    );
    expect(replay.code).toBe('STRATEGY_ERROR');
    expect((await rejection(p.evaluate([{ key: 'missing', candles: ticks[0]! }]))).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await rejection(p.evaluate([{ key: 'k', candles: [ticks[0]![0]!, ticks[0]![0]!] }]))).code,
    ).toBe('INVALID_INPUT');
    expect((await rejection(p.evaluate([{ key: 'k', candles: history.slice(-1) }]))).code).toBe(
      'INVALID_INPUT',
    );
    expect((await rejection(p.removePair('missing'))).code).toBe('NOT_FOUND');
    // State untouched by the rejected calls.
    const [r] = await p.evaluate([{ key: 'k', candles: ticks[0]! }]);
    expect(okSignals(r)).toEqual(
      inProcess('sma-crossover', {}, 'BTC/USDT', history, [ticks[0]!])[0],
    );
    await p.removePair('k');
    expect((await rejection(p.evaluate([{ key: 'k', candles: ticks[1]! }]))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('evaluate rejects with CANCELLED as soon as its signal aborts', async () => {
    const p = pool({ size: 1, deadlineMs: 30_000 });
    await add(p, 'hang', 'BTC/USDT', 'test-faulty', { at: ticks[0]![0]!.ts, fault: 'hang' });
    const ac = new AbortController();
    const pending = rejection(p.evaluate(tickFor(ticks[0]!, ['hang']), { signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    expect((await pending).code).toBe('CANCELLED');
    expect(
      (await rejection(p.evaluate(tickFor(ticks[1]!, ['hang']), { signal: ac.signal }))).code,
    ).toBe('CANCELLED');
  });

  it('close() kills every worker (even a hung one), is idempotent, and leaves no process behind', async () => {
    const p = pool({ deadlineMs: 30_000 });
    await add(p, 'hang', 'BTC/USDT', 'test-faulty', { at: ticks[0]![0]!.ts, fault: 'hang' });
    await add(p, 'a', 'ETH/USDT', 'sma-crossover', {});
    const pids = p.pids();
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);
    const inFlight = rejection(p.evaluate(tickFor(ticks[0]!, ['hang'])));
    await sleep(50);
    const first = p.close();
    expect(p.close()).toBe(first);
    await first;
    expect((await inFlight).code).toBe('CANCELLED');
    expect(pids.some(isAlive)).toBe(false);
    expect(p.pids()).toEqual([]);
    expect((await rejection(p.evaluate([]))).code).toBe('INVALID_STATE');
    expect(
      (
        await rejection(
          p.addPair({
            key: 'b',
            symbol: 'BTC/USDT',
            strategy: { id: 'sma-crossover', params: {} },
            history,
          }),
        )
      ).code,
    ).toBe('INVALID_STATE');
  });

  it('hot-reloads a user strategy file and rebuilds the pairs that use it', async () => {
    const file = join(dir, 'versioned.mjs');
    const version = (v: number | string) =>
      `export default ({ z }) => ({ id: 'versioned', name: 'v', description: '', params: z.object({}), indicators: ['version'], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: { version: ${v} } }) }) });\n`;
    writeFileSync(file, version(1));
    const logs: string[] = [];
    const p = pool({ size: 1, onLog: (_level, message) => logs.push(message) });
    await p.addPair({
      key: 'v',
      symbol: 'BTC/USDT',
      strategy: { id: 'versioned', params: {} },
      history: [],
    });
    let next = 0;
    const versionNow = async () => {
      const [r] = await p.evaluate([{ key: 'v', candles: [candles[next++]!] }]);
      if (r === undefined) throw new Error('no result');
      return r.ok ? r.signals[0]!.indicators.version : r.error.code;
    };
    expect(await versionNow()).toBe(1);
    writeFileSync(file, version(2));
    await until(async () => ((await versionNow()) === 2 ? true : undefined), 'version 2');
    writeFileSync(file, version('oops ('));
    await until(
      async () => ((await versionNow()) === 'STRATEGY_ERROR' ? true : undefined),
      'the broken file to be reported',
    );
    expect(logs.some((l) => l.includes('versioned.mjs: syntax error'))).toBe(true);
    writeFileSync(file, version(3));
    await until(async () => ((await versionNow()) === 3 ? true : undefined), 'version 3');
  });

  it('hot reload: a file added while the pool runs is usable in every worker; removing a used file stops its pairs until it is back', async () => {
    const file = join(dir, 'later.mjs');
    const strategy = (v: number) =>
      `export default ({ z }) => ({ id: 'later', name: 'l', description: '', params: z.object({}), indicators: ['v'], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: { v: ${v} } }) }) });\n`;
    const p = pool();
    await add(p, 'sma', 'ETH/USDT', 'sma-crossover', {});
    expect((await p.strategies()).map((s) => s.id)).not.toContain('later');
    writeFileSync(file, strategy(1));
    await until(
      async () => ((await p.strategies()).some((s) => s.id === 'later') ? true : undefined),
      'the new file to be loaded',
    );
    // Least-loaded assignment: 'a' goes to the idle worker, 'b' to the other one — both reloaded.
    await add(p, 'a', 'BTC/USDT', 'later', {});
    await add(p, 'b', 'SOL/USDT', 'later', {});
    let next = history.length;
    const values = async () =>
      (await p.evaluate(tickFor([candles[next++]!], ['a', 'b', 'sma']))).map((r) =>
        r.ok ? (r.signals[0]?.indicators.v ?? 'ok') : r.error.message,
      );
    expect(await values()).toEqual([1, 1, 'ok']);

    rmSync(file);
    const gone = await until(async () => {
      const v = await values();
      // Degraded while the pairs are rebuilt, then quarantined: the strategy is gone.
      const quarantined = (x: unknown) => typeof x === 'string' && x.includes('quarantined');
      return quarantined(v[0]) && quarantined(v[1]) ? v : undefined;
    }, 'the removal to be noticed');
    expect(gone[0]).toMatch(
      /^a quarantined \(its strategy could not be rebuilt\): unknown strategy 'later'/,
    );
    expect(gone[2]).toBe('ok');

    writeFileSync(file, strategy(2));
    await until(async () => {
      const v = await values();
      return v[0] === 2 && v[1] === 2 ? v : undefined;
    }, 'both pairs to run the file again');
    expect(await values()).toEqual([2, 2, 'ok']);
  });
  it("an entry's own stop and target travel from the strategy's output to the signal; bad ones fail the pair", async () => {
    const file = join(dir, 'levels.mjs');
    writeFileSync(
      file,
      `export default ({ z }) => ({ id: 'levels', name: 'levels', description: '', params: z.object({ bad: z.boolean().default(false) }), indicators: [], warmup: () => 0, create: (p) => ({ update: (c) => c.close > c.open ? { action: 'enter_long', strength: 1, indicators: {}, stop: p.bad ? -1 : c.close * 0.97, target: c.close * 1.05 } : { action: 'hold', strength: 0, indicators: {} } }) });\n`,
    );
    const p = pool();
    await add(p, 'good', 'BTC/USDT', 'levels', {});
    await add(p, 'bad', 'ETH/USDT', 'levels', { bad: true });
    const t = candles.slice(200, 240);
    const [good, bad] = await p.evaluate(tickFor(t, ['good', 'bad']));
    const signals = okSignals(good);
    const up = t.filter((c) => c.close > c.open);
    expect(up.length).toBeGreaterThan(0);
    for (const c of t) {
      const s = signals.find((x) => x.ts === c.ts)!;
      if (c.close > c.open) {
        expect(s).toMatchObject({
          action: 'enter_long',
          stop: c.close * 0.97,
          target: c.close * 1.05,
        });
      } else {
        expect(s.action).toBe('hold');
        expect('stop' in s || 'target' in s).toBe(false);
      }
    }
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok)
      expect(bad.error.message).toMatch(/returned stop -1 \(expected a price > 0 or nothing\)/);
  });
});
