/**
 * A paper bot's trades do not depend on the replay speed or the machine's load: the engine
 * pulls one candle time per tick, so the same file gives the same fills, price for price,
 * at 1000× and at the fastest speed, three runs each. (Speed 1 is real time, a minute per
 * candle; 1000× is the same regime — candles come slower than ticks — within a test's time.)
 * Before the engine paced its feed, one file gave 167, 291 and 295 fills in three runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  paperRunOverFile,
  simCandles,
  tempDirs,
  tradeKey,
  writeReplayFile,
} from '../support/replay-file.ts';

const dirs = tempDirs('botdesk-paced-');
afterAll(() => dirs.removeAll());
const tempDir = () => dirs.make();

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

describe('paper trading over a replay file', () => {
  it('gives identical fills at 1000× and at the fastest speed, three runs each', async () => {
    const dir = tempDir();
    const file = join(dir, 'sim.json');
    writeReplayFile(
      file,
      await simCandles({
        symbols: SYMBOLS,
        candles: 90,
        gaps: { 'BTC/USDT': [30, 31, 55], 'ETH/USDT': [70] },
        flat: { 'ETH/USDT': [[20, 8]] },
      }),
    );
    const runs: string[][] = [];
    for (const speed of [1000, 1_000_000]) {
      for (let n = 0; n < 3; n++) {
        const r = await paperRunOverFile({
          dataDir: tempDir(),
          file,
          symbols: SYMBOLS,
          strategy: 'sma-crossover:fast=3,slow=8',
          speed,
        });
        expect(r.summary).toMatchObject({
          state: 'stopped',
          stopReason: 'market feed ended',
          missedTicks: 0,
        });
        // The replay's gaps are reported in the run summary.
        expect(r.summary.warnings.join('\n')).toMatch(/had 4 missing candles/);
        runs.push(r.fills.map(tradeKey));
      }
    }
    expect(runs[0]!.length).toBeGreaterThan(4);
    for (const run of runs) expect(run).toEqual(runs[0]);
  }, 120_000);
});
