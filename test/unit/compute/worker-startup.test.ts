import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { forkWorkerHost } from '../../../src/core/compute/host.ts';
import { createComputePool } from '../../../src/core/compute/pool.ts';
import { PROTOCOL_VERSION } from '../../../src/core/compute/protocol.ts';
import { resolveWorkerEntry } from '../../../src/core/compute/worker-location.ts';
import { listStrategies } from '../../../src/core/strategy/registry.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-worker-entry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveWorkerEntry', () => {
  it('from source: worker-entry.ts next to the compute module', () => {
    expect(resolveWorkerEntry()).toBe(
      join(import.meta.dirname, '../../../src/core/compute/worker-entry.ts'),
    );
  });

  it('from a bundle: compute-worker.js next to the bundle, or one folder up from a chunk', () => {
    writeFileSync(join(dir, 'compute-worker.js'), '');
    mkdirSync(join(dir, 'chunks'));
    expect(resolveWorkerEntry(pathToFileURL(join(dir, 'cli.js')).href)).toBe(
      join(dir, 'compute-worker.js'),
    );
    expect(resolveWorkerEntry(pathToFileURL(join(dir, 'chunks', 'pool-abc.js')).href)).toBe(
      join(dir, 'compute-worker.js'),
    );
  });

  it('says what it looked for when the bundle has no worker', () => {
    expect(() => resolveWorkerEntry(pathToFileURL(join(dir, 'index.js')).href)).toThrowError(
      /compute worker entry not found \(looked for .*compute-worker\.js/,
    );
  });
});

describe('a worker that cannot start', () => {
  it('addPair fails with COMPUTE_ERROR and the reason, the pool keeps retrying with backoff, close() still ends it all', async () => {
    const entry = join(dir, 'exits.mjs');
    writeFileSync(entry, 'process.exit(3);\n');
    const logs: string[] = [];
    const spawnedAt: number[] = [];
    const pool = createComputePool({
      size: 1,
      entry,
      replayDeadlineMs: 800,
      onLog: (_l, m) => logs.push(m),
      host: {
        spawn(file, opts) {
          spawnedAt.push(performance.now());
          return forkWorkerHost.spawn(file, opts);
        },
      },
    });
    try {
      const err = await pool
        .addPair({
          key: 'k',
          symbol: 'BTC/USDT',
          strategy: { id: 'sma-crossover', params: {} },
          history: [],
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(BotDeskError);
      expect((err as BotDeskError).code).toBe('COMPUTE_ERROR');
      expect((err as BotDeskError).message).toMatch(
        /^no compute worker became ready within 4400 ms: compute worker 0 exited \(code 3\)/,
      );
      expect(logs.filter((l) => l.includes('failed to start')).length).toBeGreaterThan(1);
      // Backoff: each retry waits at least twice as long as the one before (100, 200, 400 ms ...).
      expect(spawnedAt.length).toBeGreaterThanOrEqual(4);
      spawnedAt.slice(1, 4).forEach((t, i) => {
        expect(t - spawnedAt[i]!).toBeGreaterThanOrEqual(100 * 2 ** i - 5);
      });
    } finally {
      await pool.close();
    }
    expect(pool.pids()).toEqual([]);
  });

  it('a worker speaking another protocol version is refused', async () => {
    const entry = join(dir, 'old-protocol.mjs');
    writeFileSync(
      entry,
      "process.on('message', () => process.send({ type: 'ready', v: 999, pid: process.pid }));\n",
    );
    const logs: string[] = [];
    const pool = createComputePool({
      size: 1,
      entry,
      replayDeadlineMs: 500,
      onLog: (_l, m) => logs.push(m),
    });
    try {
      const err = await pool.strategies().then(
        () => null,
        (e: unknown) => e as BotDeskError,
      );
      expect(err?.message).toContain(
        `compute worker speaks protocol 999, the pool ${PROTOCOL_VERSION}`,
      );
    } finally {
      await pool.close();
    }
  });
});

describe('a user strategy file that hangs when imported', () => {
  const hanging = '// never finishes loading\nfor (;;);\n';

  it('is named and skipped; built-in strategies keep running, and a fixed file loads', async () => {
    const strategies = join(dir, 'strategies');
    mkdirSync(strategies);
    writeFileSync(join(strategies, 'stuck.mjs'), hanging);
    const logs: string[] = [];
    const pool = createComputePool({
      size: 1,
      strategiesDir: strategies,
      // A generous start deadline (a loaded machine boots workers slowly); the import one is what counts.
      replayDeadlineMs: 10_000,
      importDeadlineMs: 300,
      onLog: (_l, m) => logs.push(m),
    });
    try {
      await pool.addPair({
        key: 'k',
        symbol: 'BTC/USDT',
        strategy: { id: 'sma-crossover', params: {} },
        history: [],
      });
      expect(logs).toContainEqual(
        expect.stringMatching(
          /^user strategy stuck\.mjs: importing it did not finish within 300 ms/,
        ),
      );
      expect((await pool.strategies()).find((s) => s.id === 'stuck')?.error).toMatch(
        /did not finish within 300 ms/,
      );
      const [r] = await pool.evaluate([
        { key: 'k', candles: [{ ts: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 }] },
      ]);
      expect(r!.ok).toBe(true);
      writeFileSync(
        join(strategies, 'stuck.mjs'),
        "export default ({ z }) => ({ id: 'unstuck', name: 'u', description: '', params: z.object({}), indicators: [], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: {} }) }) });\n",
      );
      for (let i = 0; i < 200; i++) {
        if ((await pool.strategies()).some((s) => s.id === 'unstuck')) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await pool.strategies()).map((s) => s.id)).toContain('unstuck');
    } finally {
      await pool.close();
    }
  });

  it('listStrategies answers within its timeout: built-ins, and the file with the reason', async () => {
    writeFileSync(join(dir, 'stuck.mjs'), hanging);
    const infos = await listStrategies(dir, { timeoutMs: 8000 });
    expect(infos.filter((i) => i.origin === 'builtin')).toHaveLength(7);
    expect(infos.at(-1)).toMatchObject({ id: 'stuck', origin: 'user' });
    expect(infos.at(-1)!.error).toContain('importing it did not finish within 2000 ms');
  });
});
