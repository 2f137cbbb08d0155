/**
 * User strategy files are loaded each in isolation: one that ends the worker
 * (process.exit) or hangs when imported is named, skipped, and costs one restart; the
 * other user strategies stay listed and usable.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createComputePool } from '../../../src/core/compute/pool.ts';
import { listStrategies } from '../../../src/core/strategy/registry.ts';

const valid = (id: string) =>
  `export default ({ z }) => ({ id: '${id}', name: '${id}', description: '', params: z.object({}), indicators: ['one'], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: { one: 1 } }) }) });\n`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-isolation-'));
  writeFileSync(join(dir, 'a-exits.mjs'), 'process.exit(3);\n');
  writeFileSync(join(dir, 'b-hangs.mjs'), 'for (;;);\n');
  writeFileSync(join(dir, 'c-valid.mjs'), valid('c-valid'));
  writeFileSync(join(dir, 'd-exits-later.mjs'), 'await Promise.resolve();\nprocess.exit(0);\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('user strategy files load in isolation', () => {
  it('the listing names each bad file with its reason and keeps the valid one', async () => {
    const infos = await listStrategies(dir, { timeoutMs: 8000 });
    const user = Object.fromEntries(
      infos.filter((i) => i.origin === 'user').map((i) => [i.id, i.error ?? 'ok']),
    );
    expect(user).toEqual({
      'a-exits': expect.stringMatching(
        /^a-exits\.mjs: importing it ended the compute worker \(code 3; does it call process\.exit\?\)/,
      ),
      'b-hangs': expect.stringMatching(/^b-hangs\.mjs: importing it did not finish within 2000 ms/),
      'c-valid': 'ok',
      'd-exits-later': expect.stringMatching(
        /^d-exits-later\.mjs: importing it ended the compute worker \(code 0/,
      ),
    });
    expect(infos.filter((i) => i.origin === 'builtin').length).toBeGreaterThan(0);
  });

  it('a bot pool runs the valid user strategy; a second pool does not import the bad files again', async () => {
    const logs: string[] = [];
    const run = async () => {
      const pool = createComputePool({
        size: 1,
        strategiesDir: dir,
        watch: false,
        importDeadlineMs: 1000,
        onLog: (_l, m) => logs.push(m),
      });
      try {
        await pool.addPair({
          key: 'k',
          symbol: 'BTC/USDT',
          strategy: { id: 'c-valid', params: {} },
          history: [],
        });
        const [r] = await pool.evaluate([
          { key: 'k', candles: [{ ts: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 }] },
        ]);
        expect(r).toMatchObject({ ok: true, signals: [{ indicators: { one: 1 } }] });
      } finally {
        await pool.close();
      }
    };
    await run();
    const blamed = logs.filter((l) => l.startsWith('user strategy ')).length;
    expect(blamed).toBe(3);
    expect(logs.some((l) => l.startsWith('user strategies disabled'))).toBe(false);
    await run();
    expect(logs.filter((l) => l.startsWith('user strategy ')).length).toBe(blamed);
  });

  it('a blamed file is tried again once it is saved', async () => {
    await listStrategies(dir, { timeoutMs: 8000 });
    writeFileSync(join(dir, 'a-exits.mjs'), valid('a-fixed'));
    const infos = await listStrategies(dir, { timeoutMs: 8000 });
    expect(infos.find((i) => i.id === 'a-fixed')).toMatchObject({ origin: 'user' });
    expect(infos.find((i) => i.id === 'a-fixed')!.error).toBeUndefined();
  });
});
