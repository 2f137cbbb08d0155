/** `botdesk backtest --stop-loss/--take-profit/--trailing-stop` as a real process. */
import { describe, expect, it } from 'vitest';
import { BacktestResult } from '../../../src/core/api/backtest.ts';
import { EXIT_REASONS } from '../../../src/core/trading/rules/exits.ts';
import { backtestArgs, useBacktestData } from '../../support/backtest-csv.ts';
import { runCli } from './run-cli.ts';

const data = useBacktestData('botdesk-backtest-risk-', 3000, 5);

const base = (...rest: string[]) =>
  backtestArgs(
    data,
    '--json',
    '--no-save',
    '--symbols',
    'ETH/USDT',
    '--strategy',
    'sma-crossover:fast=5,slow=20',
    ...rest,
  );

describe('botdesk backtest with risk flags', () => {
  it('the flags reach the backtest: trades close by the named rules', async () => {
    const plain = BacktestResult.parse(JSON.parse((await runCli(base())).stdout));
    const res = await runCli(
      base('--stop-loss', '0.01', '--take-profit', '0.02', '--trailing-stop', '0.015'),
    );
    expect(res.code).toBe(0);
    const doc = BacktestResult.parse(JSON.parse(res.stdout));
    const rules = new Set(doc.trades.map((t) => t.exitReason.split(' ')[0]));
    expect([...rules].some((r) => (EXIT_REASONS as readonly string[]).includes(r!))).toBe(true);
    expect(
      plain.trades.every((t) => !/^(stop_loss|take_profit|trailing_stop)/.test(t.exitReason)),
    ).toBe(true);
    for (const t of doc.trades.filter((x) => x.exitReason.startsWith('stop_loss at'))) {
      // the stop sells at most 1 % (plus slippage and a gap) under the entry
      expect(t.exitPrice).toBeLessThan(t.entryPrice);
    }
  });

  it('a bad fraction is a usage error (exit 2)', async () => {
    const res = await runCli(base('--take-profit', '0'));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--take-profit must be a fraction greater than 0/);
  });
});
