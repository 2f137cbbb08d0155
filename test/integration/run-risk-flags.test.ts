/**
 * `botdesk run --stop-loss/--take-profit/--trailing-stop` through the real CLI program, the
 * simulated market and real compute workers: the fractions reach the bot's risk config over
 * the saved one, positions close by the named rules, and bad values change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { runCommand } from '../../src/headless/commands/run.ts';
import { runCli } from '../../src/headless/program.ts';
import { Journal, journalFile } from '../../src/core/journal/journal.ts';
import { EXIT_REASONS } from '../../src/core/trading/rules/exits.ts';
import { captureIo } from '../support/cli-io.ts';
import { tempDirs } from '../support/replay-file.ts';

const dirs = tempDirs('botdesk-risk-run-');
afterEach(() => dirs.removeAll());
const dataDir = () => dirs.make();
const io = captureIo;

describe('botdesk run with risk flags', () => {
  it('closes positions by the stop, target and trailing rules, each exit naming its rule', async () => {
    const d = dataDir();
    const c = io();
    const code = await runCli(
      [
        'run',
        '--data-dir',
        d,
        '--json',
        '--symbols',
        'BTC/USDT,ETH/USDT',
        '--strategy',
        'sma-crossover:fast=3,slow=8',
        '--speed',
        '6000',
        '--duration',
        '2500ms',
        '--stop-loss',
        '0.002',
        '--take-profit',
        '0.003',
        '--trailing-stop',
        '0.002',
      ],
      [runCommand],
      c.io,
    );
    expect(code).toBe(0);
    const j = new Journal(journalFile(d, 'paper'));
    try {
      const start = j.latestEvent('start')?.payload as { config: { risk: Record<string, number> } };
      // the flags over the saved (default) risk config: the other fields kept
      expect(start.config.risk).toEqual({
        stakeFraction: 0.1,
        maxOpenPositions: 5,
        maxDailyLoss: 0.05,
        stopLoss: 0.002,
        takeProfit: 0.003,
        trailingStop: 0.002,
      });
      const sells = j.orders(10_000).filter((o) => o.side === 'sell' && o.status === 'filled');
      const rules = new Set(sells.map((o) => o.reason.split(' ')[0]));
      for (const r of rules) expect([...EXIT_REASONS, 'strategy']).toContain(r);
      expect(rules.has('stop_loss') || rules.has('trailing_stop')).toBe(true);
      for (const o of sells.filter((s) => s.reason.startsWith('stop_loss'))) {
        // at the level (-0.20 %), or lower at the open when the candle gapped through it
        expect(o.reason).toMatch(
          /^stop_loss at [\d.]+ \((-0\.20% from entry [\d.]+|-\d+\.\d\d% from entry [\d.]+, gapped through [\d.]+)\)$/,
        );
      }
    } finally {
      j.close();
    }
  });

  it('a bad fraction is a usage error (exit 2) and starts nothing', async () => {
    const d = dataDir();
    const c = io();
    const code = await runCli(['run', '--data-dir', d, '--stop-loss', '5'], [runCommand], c.io);
    expect(code).toBe(2);
    expect(c.err.join('')).toMatch(/--stop-loss must be a fraction .*0\.02 means 2 %/);
    expect(existsSync(journalFile(d, 'paper'))).toBe(false);
  });
});
