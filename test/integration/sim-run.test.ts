/**
 * `botdesk run` on the simulated market: --seed picks the market (default: the saved seed),
 * and a second run in the same data folder continues the timeline: the journal's times
 * never step back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desiredStateFile } from '../../src/core/bot/desired-state.ts';
import { Journal, journalFile } from '../../src/core/journal/journal.ts';
import { runBot } from '../../src/headless/commands/run.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'botdesk-simrun-'));
  dirs.push(d);
  return d;
}

function run(dir: string, seed?: number, speed = 6000, symbols = ['BTC/USDT', 'ETH/USDT']) {
  return runBot({
    dataDir: dir,
    market: 'sim',
    symbols,
    strategy: 'sma-crossover:fast=3,slow=8',
    speed,
    ...(seed === undefined ? {} : { seed }),
    durationMs: 1200,
    stopTimeoutMs: 5000,
    signal: new AbortController().signal,
    log: () => {},
  });
}

function equityTimes(dir: string): number[] {
  const journal = new Journal(journalFile(dir, 'paper'));
  try {
    return journal.equity(100_000).map((p) => p.ts);
  } finally {
    journal.close();
  }
}

describe('botdesk run on the simulated market', () => {
  it('--seed sets the market seed, and a restart continues the journal forward in time', async () => {
    const dir = dataDir();
    const first = await run(dir, 7);
    expect(first.state).toBe('stopped');
    expect(first.ticks).toBeGreaterThan(0);
    const saved = JSON.parse(readFileSync(desiredStateFile(dir), 'utf8'));
    expect(saved.config.market.seed).toBe(7);
    const before = equityTimes(dir);
    expect(before.length).toBeGreaterThan(0);
    const lastBefore = Math.max(...before);

    const second = await run(dir, 7);
    expect(second.ticks).toBeGreaterThan(0);
    const after = equityTimes(dir).filter((ts) => !before.includes(ts));
    expect(after.length).toBeGreaterThan(0);
    // At 6000× the first run went hours past the wall clock; the second starts after it.
    expect(Math.min(...after)).toBeGreaterThan(lastBefore);
  });

  it('every journal event of a restart, its start event included, is stamped after the previous run', async () => {
    const dir = dataDir();
    await run(dir, 7);
    // At 100 000x the warm-ups of several symbols end minutes to hours apart in market time:
    // the start is stamped with the earliest, where trading resumes, not the latest.
    await run(dir, 7, 100_000, ['BTC/USDT', 'ETH/USDT', 'FOO/USDT', 'BAR/USDT']);
    const journal = new Journal(journalFile(dir, 'paper'));
    try {
      // Oldest first: events() reads newest first.
      const events = journal.events(100_000).reverse();
      expect(events.filter((e) => e.kind === 'start')).toHaveLength(2);
      const backwards = events.filter((e, i) => i > 0 && e.ts < events[i - 1]!.ts);
      // At 6000x the first run ends hours past the wall clock: a start stamped with the
      // wall clock would land before the first run's signals.
      expect(backwards.map((e) => `${e.kind}@${new Date(e.ts).toISOString()}`)).toEqual([]);
    } finally {
      journal.close();
    }
  });

  it('without --seed the run uses the saved seed and symbol profiles', async () => {
    const dir = dataDir();
    const profiles = { 'BTC/USDT': { price: 100, tickSize: 0.5 } };
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ schemaVersion: 1, bot: { market: { source: 'sim', seed: 11, profiles } } }),
    );
    await run(dir);
    const saved = JSON.parse(readFileSync(desiredStateFile(dir), 'utf8'));
    expect(saved.config.market).toMatchObject({ seed: 11, profiles });
  });
});
