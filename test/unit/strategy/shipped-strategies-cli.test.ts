/**
 * What docs/strategies.md tells a user to do, done as a user: copy the shipped example and
 * template into `<dataDir>/strategies`, list them with `botdesk strategies` and trade them
 * with `botdesk run --strategy <id>` (paper, simulated market, fast clock).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StrategyInfo } from '../../../src/core/api/schemas.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../../src/headless/cli.ts');
const shipped = join(import.meta.dirname, '../../../resources/strategies');

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-shipped-strategies-'));
  mkdirSync(join(dataDir, 'strategies'));
  for (const f of ['example-momentum.mjs', 'template.mjs'])
    copyFileSync(join(shipped, f), join(dataDir, 'strategies', f));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const botdesk = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, [cli, ...args, '--data-dir', dataDir, '--json'], {
    env: { ...process.env, BOTDESK_DATA_DIR: dataDir },
    timeout: 30_000,
  });
  return JSON.parse(stdout) as unknown;
};

describe('the shipped user strategies, copied into the data folder', () => {
  it('are listed by `botdesk strategies` without errors', async () => {
    const list = (await botdesk('strategies')) as StrategyInfo[];
    const user = list.filter((s) => s.origin === 'user');
    expect(user.map((s) => [s.id, s.error])).toEqual([
      ['example-momentum', undefined],
      ['my-strategy', undefined],
    ]);
  });

  for (const strategy of ['example-momentum:threshold=0.1', 'my-strategy']) {
    it(`trade with \`botdesk run --strategy ${strategy}\``, async () => {
      const summary = (await botdesk(
        'run',
        '--strategy',
        strategy,
        '--symbols',
        'BTC/USDT,ETH/USDT',
        '--speed',
        '600',
        '--duration',
        '3s',
      )) as { state: string; stopReason: string; error: unknown; ticks: number; signals: number };
      expect(summary).toMatchObject({
        state: 'stopped',
        stopReason: 'duration elapsed',
        error: null,
      });
      expect(summary.ticks).toBeGreaterThan(5);
      expect(summary.signals).toBeGreaterThan(0);
    });
  }
});
