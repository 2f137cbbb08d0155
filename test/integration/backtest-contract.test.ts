/**
 * The backtest channels through the core host and the dispatcher, as the desktop app
 * and remote clients call them: run (with progress events), list, get, cancel, and
 * data files only from the places the replay-file gate allows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestProgress, BacktestResult } from '../../src/core/api/backtest.ts';
import { createDispatcher, type Dispatch } from '../../src/core/api/dispatcher.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { generatedSeries } from '../fixtures/strategies/generated.ts';
import { candlesCsv } from '../support/backtest-csv.ts';
import { childPids } from '../support/child-processes.ts';

let dataDir: string;
let host: CoreHost;
let dispatch: Dispatch;
const progress: BacktestProgress[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-backtest-contract-'));
  host = await createCoreHost({
    dataDir,
    settings: createConfSettingsStore(dataDir),
    resume: false,
  });
  host.bus.on('backtest:progress', (p) => progress.push(p));
  dispatch = createDispatcher(host.handlers);
  writeFileSync(join(dataDir, 'imports', 'sol.csv'), candlesCsv(generatedSeries(3000, 9).candles));
});
afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('backtest channels', () => {
  it('backtest:run answers with the result and sends progress; list and get find it', async () => {
    const run = await dispatch('backtest:run', {
      runId: 'first',
      data: { kind: 'file', path: 'sol.csv' },
      symbols: ['SOL/USDT'],
      strategy: { id: 'ema-crossover', params: { fast: 5, slow: 15 } },
      feeRate: 0,
      slippageBps: 0,
    });
    expect(run.ok).toBe(true);
    const result = (run as { data: BacktestResult }).data;
    expect(result.id).toBe('first');
    expect(result.symbols).toEqual(['SOL/USDT']);
    expect(result.trades.length).toBeGreaterThan(5);
    expect(progress.filter((p) => p.runId === 'first').map((p) => p.phase)).toContain('done');

    const list = await dispatch('backtest:list', {});
    expect(list).toMatchObject({ ok: true, data: [{ id: 'first', grid: false }] });
    const got = await dispatch('backtest:get', { id: 'first' });
    expect(got).toEqual({ ok: true, data: result });
  });

  it('a file outside imports/ is FORBIDDEN and nothing is stored', async () => {
    const outside = join(dataDir, 'outside.csv');
    writeFileSync(outside, 'timestamp,open,high,low,close,volume\n');
    const res = await dispatch('backtest:run', {
      data: { kind: 'file', path: outside },
      strategy: { id: 'sma-crossover', params: {} },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const list = await dispatch('backtest:list', {});
    expect((list as { data: unknown[] }).data).toHaveLength(1);
  });

  it('invalid input is refused by the contract; an unknown id is NOT_FOUND', async () => {
    expect(
      await dispatch('backtest:run', {
        data: { kind: 'file', path: 'sol.csv' },
        strategy: { id: 'sma-crossover' },
        gaps: 'sometimes',
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('backtest:get', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('backtest:cancel stops a running grid', async () => {
    const running = dispatch('backtest:run', {
      runId: 'grid',
      data: { kind: 'file', path: 'sol.csv' },
      symbols: ['SOL/USDT'],
      strategy: { id: 'sma-crossover', params: {} },
      grid: 'fast=2..30,slow=40..100:2',
    });
    while (!progress.some((p) => p.runId === 'grid' && p.phase === 'running'))
      await new Promise((r) => setTimeout(r, 20));
    expect(await dispatch('backtest:cancel', { runId: 'grid' })).toEqual({
      ok: true,
      data: { cancelled: 1 },
    });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await dispatch('backtest:cancel', {})).toEqual({ ok: true, data: { cancelled: 0 } });
    const list = await dispatch('backtest:list', {});
    expect((list as { data: Array<{ id: string }> }).data.map((s) => s.id)).toEqual(['first']);
    expect(childPids()).toEqual([]);
  });
});
