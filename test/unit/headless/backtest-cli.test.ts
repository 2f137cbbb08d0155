/** `botdesk backtest` as a real process: the JSON document, the report, usage errors. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BacktestResult } from '../../../src/core/api/backtest.ts';
import { backtestArgs, useBacktestData } from '../../support/backtest-csv.ts';
import { runCli } from './run-cli.ts';

const data = useBacktestData('botdesk-backtest-cli-', 4000, 3);

describe('botdesk backtest', () => {
  it('--json prints one document with trades, metrics, equity, warnings, elapsedMs and loadMs; fee and slippage 0 are accepted', async () => {
    const flags = '--json --symbols ETH/USDT --strategy sma-crossover:fast=5,slow=20';
    const res = await runCli(
      backtestArgs(data, ...`${flags} --fee 0 --slippage 0 --balance 5000`.split(' ')),
    );
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const doc = BacktestResult.parse(JSON.parse(res.stdout));
    expect(doc.symbols).toEqual(['ETH/USDT']);
    expect(doc.strategy).toEqual({ id: 'sma-crossover', params: { fast: 5, slow: 20 } });
    expect(doc.trades.length).toBeGreaterThan(10);
    expect(doc.metrics.fees).toBe(0);
    expect(doc.startingBalance).toBe(5000);
    expect(doc.equity.length).toBeGreaterThan(100);
    expect(doc.elapsedMs).toBeGreaterThan(0);
    expect(doc.loadMs).toBeGreaterThan(0);
    expect(doc.warnings.some((w) => /gap\(s\)/.test(w))).toBe(true);
  });

  it('prints a readable report without --json, and a grid ranked', async () => {
    const flags = '--strategy sma-crossover --grid fast=5|10,slow=20|30 --rank sharpe --no-save';
    const res = await runCli(backtestArgs(data, ...flags.split(' ')));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Backtest of sma-crossover/);
    expect(res.stdout).toMatch(/^Return +[+-]?\d/m);
    expect(res.stdout).toMatch(/^Max drawdown/m);
    expect(res.stdout).toMatch(/^Grid: 4 combinations ranked by sharpe/m);
    expect(res.stdout).not.toMatch(/saved as/);
  });

  it.each([
    [['--data', 'x.csv'], /--strategy is needed/],
    [
      ['--strategy', 'sma-crossover'],
      /give exactly one of --data FILE, --exchange ID or --store ID/,
    ],
    [
      ['--data', 'x.csv', '--strategy', 'sma-crossover', '--gaps', 'maybe'],
      /--gaps must be keep or fill/,
    ],
    [['--data', 'x.csv', '--strategy', 'sma-crossover', '--fee=-1'], /--fee takes a number ≥ 0/],
    [['--data', 'x.csv', '--strategy', 'sma-crossover', '--from', 'soon'], /--from takes a date/],
    [['--exchange', 'binance', '--strategy', 'sma-crossover'], /--timeframe is needed/],
    [
      ['--data', 'x.csv', '--strategy', 'sma-crossover', '--out-of-sample', '0.3'],
      /--out-of-sample applies to a --grid/,
    ],
    [
      ['--data', 'x.csv', '--strategy', 'sma-crossover', '--rank', 'sharpe'],
      /--rank applies to a --grid/,
    ],
  ])('usage error %#: exit 2 with the reason', async (args, message) => {
    const res = await runCli(['backtest', '--data-dir', data.dataDir, ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('a file that cannot be used: exit 1 and the error as the one JSON document', async () => {
    const empty = path.join(data.dataDir, 'empty.csv');
    writeFileSync(empty, '');
    const res = await runCli(
      backtestArgs({ ...data, file: empty }, '--json', '--strategy', 'sma-crossover'),
    );
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({
      error: { code: 'INVALID_INPUT', message: 'empty.csv: the file is empty' },
    });
  });
});
