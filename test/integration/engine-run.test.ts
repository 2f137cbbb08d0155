/**
 * `botdesk run` through the CLI program: real argument parsing, the core host with the
 * simulated market and real compute workers, a bounded run, a JSON summary, and a
 * graceful stop when the signal (SIGINT/SIGTERM in the CLI) aborts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import {
  parseDuration,
  parseStrategyArg,
  runBot,
  runCommand,
} from '../../src/headless/commands/run.ts';
import { runCli } from '../../src/headless/program.ts';
import { Settings } from '../../src/core/api/schemas.ts';
import { desiredStateFile } from '../../src/core/bot/desired-state.ts';
import { Journal, journalFile } from '../../src/core/journal/journal.ts';
import { CLI } from './ws-serve-process.ts';
import { alive, childPids } from '../support/child-processes.ts';
import { STUCK_STRATEGY_ID, writeStuckStrategy } from '../unit/bot/stuck-strategy.ts';
import { captureIo } from '../support/cli-io.ts';
import { tempDirs } from '../support/replay-file.ts';

const dirs = tempDirs('botdesk-run-');
afterEach(() => dirs.removeAll());
const dataDir = () => dirs.make();
const capture = captureIo;

describe('botdesk run', () => {
  it('runs for --duration and prints a JSON summary', async () => {
    const d = dataDir();
    const c = capture();
    const code = await runCli(
      [
        'run',
        '--data-dir',
        d,
        '--json',
        '--symbols',
        'BTC/USDT,ETH/USDT',
        '--timeframe',
        '1m',
        '--strategy',
        'sma-crossover:fast=3,slow=8',
        '--speed',
        '6000',
        '--duration',
        '1500ms',
      ],
      [runCommand],
      c.io,
    );
    expect(c.err.join('')).toMatch(/idle → starting/);
    expect(code).toBe(0);
    const summary = JSON.parse(c.out.join(''));
    expect(summary).toMatchObject({
      state: 'stopped',
      mode: 'paper',
      dataLabel: 'SIMULATED',
      forced: false,
      stopReason: 'duration elapsed',
      stopBehavior: 'leave',
    });
    expect(summary.ticks).toBeGreaterThan(0);
    expect(summary.signals).toBeGreaterThan(0);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.orders).toBeGreaterThanOrEqual(summary.fills);
    expect(typeof summary.equity).toBe('number');
    expect(typeof summary.stopDurationMs).toBe('number');
  });

  it('stops gracefully when the signal aborts', async () => {
    const ctl = new AbortController();
    const lines: string[] = [];
    const running = runBot({
      dataDir: dataDir(),
      market: 'sim',
      speed: 3000,
      stopTimeoutMs: 5000,
      signal: ctl.signal,
      log: (l) => lines.push(l),
    });
    setTimeout(() => ctl.abort(), 800);
    const s = await running;
    expect(s).toMatchObject({ state: 'stopped', stopReason: 'signal', forced: false });
  });

  it('a signal during a warm-up that never ends cancels the start and leaves no worker', async () => {
    const d = dataDir();
    mkdirSync(join(d, 'strategies'));
    writeStuckStrategy(join(d, 'strategies'));
    const ctl = new AbortController();
    const lines: string[] = [];
    const before = childPids();
    const running = runBot({
      dataDir: d,
      market: 'sim',
      strategy: `${STUCK_STRATEGY_ID}:after=0`,
      speed: 600,
      stopTimeoutMs: 1000,
      signal: ctl.signal,
      log: (l) => lines.push(l),
    });
    await expect.poll(() => lines.join('\n'), { timeout: 30_000 }).toMatch(/idle → starting/);
    await expect
      .poll(() => childPids().filter((p) => !before.includes(p)).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    ctl.abort();
    const s = await running;
    expect(s).toMatchObject({ state: 'stopped', stopReason: 'signal', ticks: 0, orders: 0 });
    expect(childPids().filter((p) => !before.includes(p))).toEqual([]);
  });

  it('reports bad arguments as usage errors (exit 2) and starts nothing', async () => {
    for (const args of [
      ['--speed', '0'],
      ['--market', 'moon'],
      ['--duration', 'soon'],
      ['--strategy', 'sma-crossover:fast'],
    ]) {
      const c = capture();
      expect(
        await runCli(['run', '--data-dir', dataDir(), ...args], [runCommand], c.io),
        args.join(' '),
      ).toBe(2);
      expect(c.err.join('')).not.toMatch(/starting/);
    }
  });

  it('bad config values are usage errors (exit 2) with a clear message, before anything starts', async () => {
    for (const [args, message] of [
      [['--symbols', 'btc-usdt'], /symbol must look like BASE\/QUOTE/],
      [['--symbols', ' , '], /--symbols needs at least one symbol/],
      [['--symbols', 'BTC/USDT,ETH/BTC'], /one quote currency/],
      [['--timeframe', '7m'], /timeframe/],
      [['--timeframe', ''], /--timeframe needs a value/],
      [['--duration', '600h'], /--duration must be at most 24 days/],
      [['--exchange', 'binance'], /--exchange applies only with --market ccxt/],
      [['--market', 'ccxt', '--file', 'x.csv', '--exchange', 'binance'], /--file applies only/],
    ] as const) {
      const c = capture();
      const code = await runCli(
        ['run', '--data-dir', dataDir(), '--json', '--duration', '1s', ...args],
        [runCommand],
        c.io,
      );
      expect(code, args.join(' ')).toBe(2);
      expect(JSON.parse(c.out.join('')).error.message).toMatch(message);
      expect(c.err.join(''), args.join(' ')).not.toMatch(/starting/);
    }
  });

  it('an unknown strategy or parameter is a usage error and leaves the saved bot state alone', async () => {
    const d = dataDir();
    // A bot another launch (e.g. a crashed `botdesk serve`) left running, to resume later.
    const saved = {
      desired: 'running',
      mode: 'paper',
      config: Settings.parse({}).bot,
      entriesPaused: false,
      updatedAt: 1,
    };
    writeFileSync(desiredStateFile(d), JSON.stringify(saved));
    for (const [strategy, message] of [
      ['nope', /unknown strategy 'nope'/],
      ['sma-crossover:bogus=1', /bogus/],
    ] as const) {
      const c = capture();
      const code = await runCli(
        ['run', '--data-dir', d, '--json', '--strategy', strategy, '--duration', '1s'],
        [runCommand],
        c.io,
      );
      expect(code, strategy).toBe(2);
      expect(JSON.parse(c.out.join('')).error.message).toMatch(message);
    }
    expect(JSON.parse(readFileSync(desiredStateFile(d), 'utf8'))).toEqual(saved);
  });

  it('parses strategy and duration arguments', () => {
    expect(parseStrategyArg('rsi-reversion:period=14,mode=fast,strict=true')).toEqual({
      id: 'rsi-reversion',
      params: { period: 14, mode: 'fast', strict: true },
    });
    expect(parseStrategyArg('sma-crossover')).toEqual({ id: 'sma-crossover', params: {} });
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(() => parseDuration('600h')).toThrow(/at most 24 days/);
  });
});

describe('botdesk run as a process', () => {
  function spawnRun(d: string, args: string[]) {
    const child = spawn(process.execPath, [CLI, 'run', '--data-dir', d, '--json', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops the bot gracefully: exit 0, a JSON summary, no compute worker left',
    async (signal) => {
      const run = spawnRun(dataDir(), ['--speed', '6000']);
      await expect.poll(() => run.err(), { timeout: 30_000 }).toMatch(/starting → running/);
      const workers = childPids(run.child.pid!);
      expect(workers.length).toBeGreaterThan(0);
      run.child.kill(signal);
      const { code } = await run.exited;
      expect(code, run.err()).toBe(0);
      expect(JSON.parse(run.out())).toMatchObject({
        state: 'stopped',
        stopReason: 'signal',
        forced: false,
      });
      for (const pid of workers) await expect.poll(() => alive(pid)).toBe(false);
    },
  );

  it('after a SIGKILL mid-run, the next run continues the paper wallet from the journal', async () => {
    const d = dataDir();
    const first = spawnRun(d, ['--speed', '6000', '--strategy', 'sma-crossover:fast=2,slow=3']);
    // Read-only, from outside the running process: never takes a lock the bot needs.
    const fills = () => {
      try {
        const db = new DatabaseSync(journalFile(d, 'paper'), { readOnly: true });
        try {
          return Number((db.prepare('SELECT COUNT(*) AS n FROM fills').get() as { n: number }).n);
        } finally {
          db.close();
        }
      } catch {
        return 0; // not created or not migrated yet
      }
    };
    await expect.poll(fills, { timeout: 45_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    first.child.kill('SIGKILL');
    await first.exited;
    const killed = new Journal(journalFile(d, 'paper'));
    const flowAtKill = killed.cashFlow();
    killed.close();

    const second = spawnRun(d, ['--speed', '6000', '--duration', '1500ms']);
    const { code } = await second.exited;
    expect(code, second.err()).toBe(0);
    const summary = JSON.parse(second.out());
    const j = new Journal(journalFile(d, 'paper'));
    try {
      // Cash after the second run = starting balance + every fill's flow, the killed run's included.
      const settings = JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8'));
      const expectedCash = settings.bot.startingBalance + j.cashFlow();
      expect(Math.abs(j.equity(1)[0]!.cash - expectedCash)).toBeLessThan(1e-6 * expectedCash);
      // A wallet reset at the restart would be off by the killed run's flow (fees make it non-zero).
      expect(Math.abs(j.equity(1)[0]!.cash - (expectedCash - flowAtKill))).toBeGreaterThan(1e-6);
      expect(summary).toMatchObject({ state: 'stopped', forced: false });
    } finally {
      j.close();
    }
  });
});
