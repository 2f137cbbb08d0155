import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { parseCandleText, readCandleFile } from '../../../src/core/market/candle-file.ts';
import { ReplaySource } from '../../../src/core/market/replay-source.ts';
import type { CandleEvent, SourceHealth } from '../../../src/core/market/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'botdesk-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2025, 2, 1, 0, 0);
const MIN = 60_000;

function csv(rows: string[]): string {
  return ['timestamp,open,high,low,close,volume', ...rows].join('\n') + '\n';
}

function goodRows(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const o = 100 + i;
    return `${T0 + i * MIN},${o},${o + 2},${o - 1},${o + 1},${10 + i}`;
  });
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function collect(stream: AsyncIterable<CandleEvent>): Promise<CandleEvent[]> {
  const out: CandleEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

function errorOf(fn: () => unknown): BotDeskError {
  try {
    fn();
  } catch (err) {
    return err as BotDeskError;
  }
  throw new Error('expected an error');
}

describe('candle files', () => {
  it('reads CSV with ms or ISO timestamps and infers the timeframe', () => {
    const iso = csv([
      '2025-03-01T00:00:00Z,1,2,0.5,1.5,3',
      '2025-03-01T00:05:00,1.5,2,1,1.8,4',
      '2025-03-01 00:10:00Z,1.8,2,1.7,1.9,0',
    ]);
    const parsed = parseCandleText(iso, 'iso.csv', 'csv');
    expect(parsed.timeframe).toBe('5m');
    expect(parsed.series.get('*')!.map((c) => c.ts)).toEqual([0, 5, 10].map((m) => T0 + m * MIN));
    const ms = parseCandleText(csv(goodRows(4)), 'ms.csv', 'csv');
    expect(ms.timeframe).toBe('1m');
    expect(ms.series.get('*')![3]).toEqual({
      ts: T0 + 3 * MIN,
      open: 103,
      high: 105,
      low: 102,
      close: 104,
      volume: 13,
    });
  });

  it('reads zone-less ISO times as UTC whatever the local time zone, with T or a space', () => {
    const tz = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      const text = csv([
        '2025-03-01 00:00:00,1,2,0.5,1.5,3',
        '2025-03-01T00:01:00,1.5,2,1,1.8,4',
        '2025-03-01 00:02:00.000,1.8,2,1.7,1.9,0',
      ]);
      const parsed = parseCandleText(text, 'local.csv', 'csv');
      expect(parsed.series.get('*')!.map((c) => c.ts)).toEqual([0, 1, 2].map((m) => T0 + m * MIN));
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  });

  it('reads CSV exported with quoted fields', () => {
    const text =
      '"timestamp","open","high","low","close","volume"\n' +
      goodRows(3)
        .map((r) => r.replace(/[^,]+/g, (v) => `"${v}"`))
        .join('\n');
    expect(parseCandleText(text, 'q.csv', 'csv').series.get('*')![2]).toMatchObject({
      ts: T0 + 2 * MIN,
      close: 103,
    });
  });

  it('reads ccxt-style JSON arrays and per-symbol objects', () => {
    const rows = [
      [T0, 1, 2, 0.5, 1.5, 3],
      [T0 + MIN, 1.5, 2, 1, 1.8, 4],
    ];
    expect(parseCandleText(JSON.stringify(rows), 'a.json', 'json').series.get('*')).toHaveLength(2);
    const multi = parseCandleText(
      JSON.stringify({ 'BTC/USDT': rows, 'ETH/USDT': rows }),
      'b.json',
      'json',
    );
    expect([...multi.series.keys()]).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('rejects a CSV with bad rows, naming every line, and imports nothing', () => {
    const rows = goodRows(6);
    rows[1] = `${T0 + MIN},abc,2,1,1,1`; // line 3
    rows[3] = `${T0 + 3 * MIN},10,9,8,9.5`; // line 5: 5 values
    rows[4] = `${T0 + 2 * MIN},10,12,9,11,1`; // line 6: goes back in time
    const err = errorOf(() => parseCandleText(csv(rows), 'bad.csv', 'csv'));
    expect(err).toBeInstanceOf(BotDeskError);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/bad\.csv: 3 malformed rows; nothing was imported/);
    expect(err.message).toMatch(/line 3: open \(text of 3 characters\) is not a number/);
    expect(err.message).toMatch(/line 5: expected 6 values/);
    expect(err.message).toMatch(/line 6: timestamp .* is not after the row on line 4/);
  });

  it('rejects impossible candles and second timestamps with line numbers', () => {
    const text = csv([
      `${T0},10,9,8,9.5,1`,
      `${T0 / 1000 + 60},10,12,9,11,1`,
      `${T0 + 2 * MIN},10,12,9,11,-1`,
    ]);
    const err = errorOf(() => parseCandleText(text, 'x.csv', 'csv'));
    expect(err.message).toMatch(/line 2: low ≤ open, close ≤ high does not hold/);
    expect(err.message).toMatch(/line 3: timestamp \d+ looks like seconds/);
    expect(err.message).toMatch(/line 4: volume -1 is negative/);
  });

  it('reports JSON rows by their line', () => {
    const text = `[\n  [${T0}, 1, 2, 0.5, 1.5, 3],\n  [${T0 + MIN}, 1, 2, 0.5, "x", 3],\n  5\n]`;
    const err = errorOf(() => parseCandleText(text, 'j.json', 'json'));
    expect(err.message).toMatch(/line 3: close \(text of 1 character\) is not a number/);
    expect(err.message).toMatch(/line 4: expected 6 values/);
  });

  it('names the row too when a JSON file holds every row on one line', () => {
    const rows = [
      [T0, 1, 2, 0.5, 1.5, 3],
      [T0 + MIN, 1, 2, 0.5, 'x', 3],
      [T0 + 2 * MIN, 1, 2, 0.5, 1.5, 3],
    ];
    const list = errorOf(() => parseCandleText(JSON.stringify(rows), 'one.json', 'json'));
    expect(list.message).toMatch(/one\.json: 1 malformed row; nothing was imported/);
    expect(list.message).toMatch(/line 1, row 2: close \(text of 1 character\) is not a number/);
    const bySymbol = JSON.stringify({ 'BTC/USDT': rows.slice(0, 1), 'ETH/USDT': rows });
    const multi = errorOf(() => parseCandleText(bySymbol, 'multi.json', 'json'));
    expect(multi.message).toMatch(
      /line 1, ETH\/USDT row 2: close \(text of 1 character\) is not a number/,
    );
  });

  it('rejects a wrong header and unreadable files clearly', async () => {
    expect(() => parseCandleText('time,o,h,l,c,v\n1,2,3,4,5,6', 'h.csv', 'csv')).toThrow(
      /header must be 'timestamp,open,high,low,close,volume'/,
    );
    await expect(readCandleFile(join(dir, 'missing.csv'))).rejects.toThrow(
      /cannot read candle file .*ENOENT/,
    );
  });

  it('fills gaps with flat candles and counts them', () => {
    const rows = goodRows(5);
    rows.splice(2, 2);
    const parsed = parseCandleText(csv(rows), 'gap.csv', 'csv');
    const series = parsed.series.get('*')!;
    expect(series.map((c) => c.ts)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * MIN));
    expect(parsed.gapsFilled).toBe(2);
    expect(series[2]).toEqual({
      ts: T0 + 2 * MIN,
      open: 102,
      high: 102,
      low: 102,
      close: 102,
      volume: 0,
    });
  });
});

describe('replay source', () => {
  it('takes warm-up history from the start of the file, then replays the rest in order', async () => {
    const source = new ReplaySource({ file: write('good.csv', csv(goodRows(30))), speed: 60_000 });
    await source.validate(['BTC/USDT'], '1m');
    const warm = await source.history('BTC/USDT', '1m', 10);
    expect(warm.map((c) => c.ts)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * MIN));
    const events = await collect(
      source.subscribe(['BTC/USDT'], '1m', { signal: new AbortController().signal }),
    );
    expect(events.map((e) => e.candle.ts)).toEqual(
      Array.from({ length: 20 }, (_, i) => T0 + (i + 10) * MIN),
    );
    expect(source.latestPrice('BTC/USDT')).toBe(130);
    expect(source.health().warning).toMatch(/finished/);
  });

  it('refuses the wrong timeframe, several symbols on a single-series file and unknown symbols', async () => {
    const single = new ReplaySource({ file: write('single.csv', csv(goodRows(3))), speed: 1 });
    await expect(single.validate(['BTC/USDT'], '5m')).rejects.toThrow(/holds 1m candles/);
    await expect(single.validate(['BTC/USDT', 'ETH/USDT'], '1m')).rejects.toThrow(/one series/);
    const rows = [
      [T0, 1, 2, 0.5, 1.5, 3],
      [T0 + MIN, 1.5, 2, 1, 1.8, 4],
    ];
    const multi = new ReplaySource({
      file: write('multi.json', JSON.stringify({ 'BTC/USDT': rows })),
      speed: 1,
    });
    await expect(multi.validate(['BTC/USDC'], '1m')).rejects.toThrow(
      /BTC\/USDC is not in multi.json; did you mean BTC\/USDT\?/,
    );
  });

  it('tells the subscriber at once about missing candles it replays flat, and still at the end', async () => {
    const rows = goodRows(12);
    rows.splice(5, 2);
    const source = new ReplaySource({
      file: write('holes.csv', csv(rows)),
      speed: 60_000,
      gaps: 'fill',
    });
    const health: SourceHealth[] = [];
    const events: CandleEvent[] = [];
    for await (const e of source.subscribe(['BTC/USDT'], '1m', {
      signal: new AbortController().signal,
      onHealth: (h) => health.push(h),
    })) {
      if (events.length === 0) expect(health).toHaveLength(1);
      events.push(e);
    }
    expect(events.map((e) => e.candle.ts)).toEqual(
      Array.from({ length: 12 }, (_, i) => T0 + i * MIN),
    );
    expect(health[0]).toMatchObject({ gapsFilled: 2 });
    expect(health[0]!.warning).toMatch(/holes\.csv had 2 missing candles/);
    expect(health.at(-1)!.warning).toMatch(
      /had 2 missing candles.*; replay of holes\.csv finished/,
    );
  });

  it('keeps missing candles as gaps by default, and counts them in the warning', async () => {
    const rows = goodRows(12);
    rows.splice(5, 2);
    const source = new ReplaySource({ file: write('kept.csv', csv(rows)), speed: 60_000 });
    const health: SourceHealth[] = [];
    const times: number[] = [];
    for await (const e of source.subscribe(['BTC/USDT'], '1m', {
      signal: new AbortController().signal,
      onHealth: (h) => health.push(h),
    })) {
      times.push(e.candle.ts);
    }
    expect(times).toEqual(rows.map((_, i) => T0 + (i < 5 ? i : i + 2) * MIN));
    expect(health[0]).toMatchObject({ gapsFilled: 0 });
    expect(health[0]!.warning).toMatch(
      /kept\.csv had 2 missing candles in 1 gap\(s\), replayed as gaps/,
    );
  });

  it('a file with bad rows fails validation and delivers nothing', async () => {
    const rows = goodRows(5);
    rows[2] = 'oops';
    const source = new ReplaySource({ file: write('broken.csv', csv(rows)), speed: 1000 });
    await expect(source.validate(['BTC/USDT'], '1m')).rejects.toThrow(/line 4: expected 6 values/);
    await expect(
      collect(source.subscribe(['BTC/USDT'], '1m', { signal: new AbortController().signal })),
    ).rejects.toThrow(/nothing was imported/);
  });
});
