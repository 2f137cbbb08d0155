/** `botdesk run` reports what the feed warned about, though the feed is gone by the summary. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'botdesk-run-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2025, 2, 1);
const MIN = 60_000;

/** 1-minute candles, then the same file continues at 5-minute spacing. */
function spacingChangesFile(): string {
  const times = [
    ...Array.from({ length: 60 }, (_, i) => T0 + i * MIN),
    ...Array.from({ length: 20 }, (_, i) => T0 + 60 * MIN + i * 5 * MIN),
  ];
  const rows = times.map((ts, i) => {
    const o = 100 + (i % 7);
    return `${ts},${o},${o + 2},${o - 1},${o + 1},10`;
  });
  const file = path.join(dir, 'spacing-changes.csv');
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows].join('\n') + '\n');
  return file;
}

describe('botdesk run prints feed warnings', () => {
  it('a replay whose spacing changes from 1m to 5m reports the filled gaps in the summary', async () => {
    const file = spacingChangesFile();
    const dataDir = path.join(dir, 'data');
    const args = ['run', '--data-dir', dataDir, '--market', 'replay', '--file', file];
    const common = [...args, '--timeframe', '1m', '--symbols', 'BTC/USDT', '--speed', '100000'];
    const json = await runCli([...common, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout) as { warnings: string[]; stopReason: string };
    expect(summary.warnings.join('\n')).toMatch(/had 76 missing candles/);
    // The feed's health grows ("…; replay … finished at …") while it runs: said once, in full.
    const gapWarnings = summary.warnings.filter((w) => w.includes('had 76 missing candles'));
    expect(gapWarnings).toHaveLength(1);
    expect(gapWarnings[0]).toMatch(/finished at/);
    const human = await runCli(common);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^warning +spacing-changes\.csv had 76 missing candles/m);
    expect(human.stdout.match(/had 76 missing candles/g)).toHaveLength(1);
  });
});
