/** `botdesk sim` as a real child process: replay files, determinism, usage errors. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCandleFile } from '../../../src/core/market/candle-file.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'botdesk-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);
const base = ['sim', '--data-dir', at('data'), '--end', '2026-01-15T00:00:00Z'];

describe('botdesk sim', () => {
  it('--help explains the command', async () => {
    const res = await runCli(['sim', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage: botdesk sim --out FILE');
  });

  it('writes a CSV replay file the replay reader accepts, with a JSON summary', async () => {
    const res = await runCli([
      ...base,
      '--json',
      '--symbols',
      'SOL/USDT',
      '--candles',
      '3000',
      '--out',
      at('sol.csv'),
    ]);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({
      format: 'csv',
      symbols: ['SOL/USDT'],
      candles: 3000,
      seed: 42,
    });
    expect(summary.to).toBe(Date.UTC(2026, 0, 14, 23, 59));
    const file = await readCandleFile(at('sol.csv'));
    expect(file.timeframe).toBe('1m');
    expect([...file.series.values()][0]).toHaveLength(3000);
  });

  it('the same seed and end give the same bytes; --seed changes the market', async () => {
    const args = [
      ...base,
      '--symbols',
      'BTC/USDT,DOGE/USDT',
      '--candles',
      '5000',
      '--timeframe',
      '5m',
    ];
    for (const [name, seed] of [
      ['a', '7'],
      ['b', '7'],
      ['c', '8'],
    ] as const)
      expect((await runCli([...args, '--seed', seed, '--out', at(`${name}.json`)])).code).toBe(0);
    const a = readFileSync(at('a.json'));
    expect(a.equals(readFileSync(at('b.json')))).toBe(true);
    expect(a.equals(readFileSync(at('c.json')))).toBe(false);
    const file = await readCandleFile(at('a.json'));
    expect(file.timeframe).toBe('5m');
    expect([...file.series.keys()]).toEqual(['BTC/USDT', 'DOGE/USDT']);
  });

  it('takes the seed and symbol profiles from the saved settings', async () => {
    const data = at('settings-dir');
    const profiles = { 'FOO/USDT': { price: 2, tickSize: 0.05 } };
    const settings = {
      schemaVersion: 1,
      bot: { symbols: ['FOO/USDT'], market: { source: 'sim', seed: 9, profiles } },
    };
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'settings.json'), JSON.stringify(settings));
    const res = await runCli([
      'sim',
      '--data-dir',
      data,
      '--json',
      '--candles',
      '500',
      '--out',
      at('foo.csv'),
    ]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ seed: 9, symbols: ['FOO/USDT'] });
    const [candles] = [...(await readCandleFile(at('foo.csv'))).series.values()];
    for (const c of candles!)
      expect(Math.abs(c.close / 0.05 - Math.round(c.close / 0.05))).toBeLessThan(1e-9);
  });

  it.each([
    [['--candles', '10'], '--out FILE is required'],
    [['--symbols', 'BTC/USDT,ETH/USDT', '--out', at('two.csv')], 'CSV file holds one symbol'],
    [['--out', at('x.txt')], '.csv or .json'],
    [['--seed', '1.5', '--out', at('x.csv')], '--seed must be a whole number'],
    [['--end', 'soon', '--out', at('x.csv')], '--end takes an ISO 8601 time'],
    [['--candles', '1', '--out', at('x.csv')], '--candles must be an integer from 2'],
    [['--timeframe', '7m', '--out', at('x.csv')], '--timeframe must be one of'],
    [['--symbols', 'btcusdt', '--out', at('x.csv')], 'BASE/QUOTE'],
    [
      ['--end', '1973-03-04', '--symbols', 'A/B', '--candles', '5000', '--out', at('x.csv')],
      'use a later end',
    ],
  ])('%j is a usage error and writes nothing', async (args, message) => {
    const res = await runCli([...base, ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(existsSync(at('two.csv')) || existsSync(at('x.csv')) || existsSync(at('x.txt'))).toBe(
      false,
    );
  });
});
