/**
 * A candle file for `botdesk backtest --data` (and the backtest contract): a
 * generated series (seeded, with gaps and flat runs) written as CSV in a
 * temporary data folder that lives for one test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Candle } from '../../src/core/api/schemas.ts';
import { generatedSeries } from '../fixtures/strategies/generated.ts';

/** Candles as the CSV the file source reads. */
export function candlesCsv(candles: readonly Candle[]): string {
  return [
    'timestamp,open,high,low,close,volume',
    ...candles.map((c) => `${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume}`),
  ].join('\n');
}

export interface BacktestData {
  /** The data folder (--data-dir), made before the file's tests and removed after them. */
  readonly dataDir: string;
  /** `<dataDir>/eth.csv`: `count` generated candles. */
  readonly file: string;
}

/** Registers beforeAll/afterAll: a fresh data folder with a generated candle file. */
export function useBacktestData(prefix: string, count: number, seed: number): BacktestData {
  const data = { dataDir: '', file: '' };
  beforeAll(() => {
    data.dataDir = mkdtempSync(path.join(tmpdir(), prefix));
    data.file = path.join(data.dataDir, 'eth.csv');
    writeFileSync(data.file, candlesCsv(generatedSeries(count, seed).candles));
  });
  afterAll(() => rmSync(data.dataDir, { recursive: true, force: true }));
  return data;
}

/** `botdesk backtest` over a candle file: the arguments, then `rest`. */
export function backtestArgs(data: BacktestData, ...rest: string[]): string[] {
  return ['backtest', '--data-dir', data.dataDir, '--data', data.file, ...rest];
}
