/**
 * Backtests through the contract: the core host's real dispatcher, real compute workers and
 * backtests.sqlite — backtest:run (with progress), backtest:list, backtest:get, and a bad
 * request that stores nothing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult, BacktestSummary } from '../../src/core/api/backtest.ts';
import { createDispatcher, type Dispatch } from '../../src/core/api/dispatcher.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { simCandles, writeReplayFile } from '../support/replay-file.ts';

let dataDir: string;
let host: CoreHost;
let dispatch: Dispatch;
let file: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bt-contract-'));
  mkdirSync(join(dataDir, 'imports'));
  file = join(dataDir, 'imports', 'sim.json');
  writeReplayFile(file, await simCandles({ symbols: ['BTC/USDT', 'ETH/USDT'], candles: 400 }));
  host = await createCoreHost({ dataDir, settings: createConfSettingsStore(dataDir) });
  dispatch = createDispatcher(host.handlers);
});
afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('backtests through the contract', () => {
  it('run with progress, then list and get it back; a bad request stores nothing', async () => {
    const progress: unknown[] = [];
    const off = host.bus.on('backtest:progress', (p) => progress.push(p));
    const run = await dispatch('backtest:run', {
      data: { kind: 'file', path: file },
      strategy: { id: 'sma-crossover', params: { fast: 3, slow: 8 } },
      grid: 'fast=2..4',
      runId: 'qa-run',
    });
    off();
    expect(run.ok, JSON.stringify(run)).toBe(true);
    const result = (run as { data: BacktestResult }).data;
    expect(result.trades.length).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => (p as { runId: string }).runId === 'qa-run')).toBe(true);

    const list = await dispatch('backtest:list', {});
    expect(list.ok).toBe(true);
    const summaries = (list as { data: BacktestSummary[] }).data;
    expect(summaries.map((s) => s.id)).toEqual([result.id]);
    const got = await dispatch('backtest:get', { id: result.id });
    expect(got.ok).toBe(true);
    expect((got as { data: BacktestResult }).data.trades).toEqual(result.trades);

    const bad = await dispatch('backtest:run', {
      data: { kind: 'file', path: file },
      strategy: { id: 'sma-crossover', params: { fast: 3, slow: 8 } },
      grid: 'fast=9..4',
    });
    expect(bad.ok).toBe(false);
    // A readable file outside <data-dir>/imports: refused by the replay-file gate.
    const outsideFile = join(dataDir, 'outside.json');
    writeReplayFile(outsideFile, await simCandles({ symbols: ['BTC/USDT'], candles: 100 }));
    const outside = await dispatch('backtest:run', {
      data: { kind: 'file', path: outsideFile },
      strategy: { id: 'sma-crossover' },
    });
    expect(outside.ok).toBe(false);
    expect(JSON.stringify(outside)).toMatch(/imports/);
    const after = await dispatch('backtest:list', {});
    expect((after as { data: BacktestSummary[] }).data).toHaveLength(1);
  }, 120_000);
});
