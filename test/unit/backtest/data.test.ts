/** Loading backtest data from files: warm-up before `from`, symbols, gaps, one quote currency. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBacktestData } from '../../../src/core/backtest/data.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);
let dir: string;

const row = (i: number, price = 100 + i) => [T0 + i * MIN, price, price, price, price, 1];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-backtest-data-'));
  // 100 candles with a hole of 3 at 50..52.
  const rows = Array.from({ length: 103 }, (_, i) => i)
    .filter((i) => i < 50 || i > 52)
    .map((i) => row(i));
  writeFileSync(join(dir, 'one.json'), JSON.stringify(rows));
  writeFileSync(
    join(dir, 'pairs.json'),
    JSON.stringify({ 'AAA/USDT': rows, 'BBB/USDT': rows, 'CCC/BTC': rows }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (file: string, extra: Partial<Parameters<typeof loadBacktestData>[0]> = {}) =>
  loadBacktestData({
    data: { kind: 'file', path: join(dir, file) },
    gaps: 'keep',
    warmup: 10,
    dataDir: dir,
    ...extra,
  });

describe('loadBacktestData', () => {
  it('keeps up to the warm-up of candles before `from` for the strategy, and trades from `from`', async () => {
    const data = await load('one.json', { from: T0 + 30 * MIN, to: T0 + 60 * MIN });
    const s = data.series[0]!;
    expect(s.symbol).toBe('BTC/USDT');
    expect(s.start).toBe(10);
    expect(s.columns.ts[0]).toBe(T0 + 20 * MIN);
    expect(data.tradeFrom).toBe(T0 + 30 * MIN);
    // [30, 60) without the hole 50..52: 27 candles traded.
    expect(s.columns.ts.length - s.start).toBe(27);
    expect(data.warnings).toEqual(['one.json: 1 gap(s), 3 missing candle(s) kept as gaps']);
  });

  it('fill: the hole becomes flat candles at the previous close', async () => {
    const data = await load('one.json', { gaps: 'fill' });
    const { ts, close, volume } = data.series[0]!.columns;
    expect(ts.length).toBe(103);
    expect([close[50], close[51], close[52]]).toEqual([149, 149, 149]);
    expect(volume[51]).toBe(0);
    expect(data.warnings[0]).toMatch(/3 missing candle\(s\) filled flat with zero volume/);
  });

  it('names a one-series file after the first symbol, picks series of a multi-symbol file', async () => {
    expect((await load('one.json', { symbols: ['ETH/USDT'] })).series[0]!.symbol).toBe('ETH/USDT');
    const pairs = await load('pairs.json', { symbols: ['BBB/USDT', 'AAA/USDT'] });
    expect(pairs.series.map((s) => s.symbol)).toEqual(['BBB/USDT', 'AAA/USDT']);
    await expect(load('pairs.json', { symbols: ['ZZZ/USDT'] })).rejects.toThrowError(
      /ZZZ\/USDT is not in pairs.json; it holds AAA\/USDT, BBB\/USDT, CCC\/BTC/,
    );
  });

  it('pairs of one backtest share one quote currency; a range that ends before it starts is refused', async () => {
    await expect(load('pairs.json')).rejects.toThrowError(/one quote currency; got USDT, BTC/);
    await expect(load('one.json', { from: T0 + 10 * MIN, to: T0 })).rejects.toThrowError(
      /the date range ends .* before it starts/,
    );
  });
});
