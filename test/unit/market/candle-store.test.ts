import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/core/api/schemas.ts';
import { CandleStore } from '../../../src/core/market/candle-store.ts';
import { createMarketSource } from '../../../src/core/market/create-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'botdesk-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const T0 = Date.UTC(2025, 5, 1);
const key = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };

function candles(from: number, n: number, price = 100): Candle[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: T0 + (from + i) * MIN,
    open: price,
    high: price + 1,
    low: price - 1,
    close: price,
    volume: i,
  }));
}

describe('candle store', () => {
  it('keeps candles per series in <dataDir>/candles.sqlite, in WAL mode, across reopen', () => {
    const store = CandleStore.inDataDir(join(dir, 'data'));
    store.insert(key, candles(0, 10));
    store.insert({ ...key, timeframe: '5m' }, candles(0, 2, 500));
    store.close();
    const path = join(dir, 'data', 'candles.sqlite');
    expect(existsSync(path)).toBe(true);
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
    const again = CandleStore.inDataDir(join(dir, 'data'));
    expect(again.range(key, T0, T0 + 10 * MIN)).toEqual(candles(0, 10));
    expect(again.range({ ...key, timeframe: '5m' }, 0, Infinity).map((c) => c.close)).toEqual([
      500, 500,
    ]);
    expect(again.list().map((s) => [s.timeframe, s.count])).toEqual([
      ['1m', 10],
      ['5m', 2],
    ]);
    again.close();
  });

  it('reports the spans still missing and upserts on overlap', () => {
    const store = new CandleStore(':memory:');
    expect(store.missing(key, T0, T0 + 10 * MIN, MIN)).toEqual([[T0, T0 + 10 * MIN]]);
    store.insert(key, candles(2, 3));
    store.insert(key, candles(7, 1));
    expect(store.missing(key, T0, T0 + 10 * MIN, MIN)).toEqual([
      [T0, T0 + 2 * MIN],
      [T0 + 5 * MIN, T0 + 7 * MIN],
      [T0 + 8 * MIN, T0 + 10 * MIN],
    ]);
    store.insert(key, candles(3, 1, 250));
    expect(store.range(key, T0 + 3 * MIN, T0 + 4 * MIN)[0]!.close).toBe(250);
    store.close();
  });

  it('stores a batch whole or not at all', () => {
    const store = new CandleStore(':memory:');
    const batch = candles(0, 5);
    (batch[3] as { close: unknown }).close = null;
    expect(() => store.insert(key, batch)).toThrow(
      /could not store candles of binance BTC\/USDT 1m/,
    );
    expect(store.range(key, 0, Infinity)).toEqual([]);
    store.close();
  });
});

describe('a damaged candle store', () => {
  it('is moved aside and replaced by an empty one, and the ccxt source warns about it', async () => {
    const dataDir = join(dir, 'damaged');
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'candles.sqlite');
    const junk = Buffer.from('SQLite format 3\0 but not really a database, sorry');
    writeFileSync(path, junk);
    const store = CandleStore.inDataDir(dataDir);
    expect(store.notice).toMatch(/candles\.sqlite was damaged \(file is not a database\)/);
    expect(store.notice).toMatch(/moved to .*candles\.sqlite\.damaged-.*downloaded again/);
    const aside = readdirSync(dataDir).filter((f) => f.startsWith('candles.sqlite.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!))).toEqual(junk);
    store.insert(key, candles(0, 3));
    expect(store.range(key, 0, Infinity)).toHaveLength(3);
    store.close();

    writeFileSync(path, junk);
    const source = createMarketSource(
      { source: 'ccxt', exchange: 'binance', speed: 1, seed: 1 },
      { dataDir },
    );
    expect(source.health().warning).toMatch(/the candle store .* was damaged/);
    await source.close();
  });

  it('an intact store opens without a notice', () => {
    const store = CandleStore.inDataDir(join(dir, 'data'));
    expect(store.notice).toBeNull();
    store.close();
  });
});
