import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { createComputePool } from '../../../src/core/compute/pool.ts';
import { resolveWorkerEntry } from '../../../src/core/compute/worker-location.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-worker-entry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveWorkerEntry', () => {
  it('from source: worker-entry.ts next to the compute module', () => {
    expect(resolveWorkerEntry()).toBe(join(import.meta.dirname, '../../../src/core/compute/worker-entry.ts'));
  });

  it('from a bundle: compute-worker.js next to the bundle, or one folder up from a chunk', () => {
    writeFileSync(join(dir, 'compute-worker.js'), '');
    mkdirSync(join(dir, 'chunks'));
    expect(resolveWorkerEntry(pathToFileURL(join(dir, 'cli.js')).href)).toBe(join(dir, 'compute-worker.js'));
    expect(resolveWorkerEntry(pathToFileURL(join(dir, 'chunks', 'pool-abc.js')).href)).toBe(join(dir, 'compute-worker.js'));
  });

  it('says what it looked for when the bundle has no worker', () => {
    expect(() => resolveWorkerEntry(pathToFileURL(join(dir, 'index.js')).href)).toThrowError(/compute worker entry not found \(looked for .*compute-worker\.js/);
  });
});

describe('a worker that cannot start', () => {
  it('addPair fails with COMPUTE_ERROR and the reason, the pool keeps retrying with backoff, close() still ends it all', async () => {
    const entry = join(dir, 'exits.mjs');
    writeFileSync(entry, 'process.exit(3);\n');
    const logs: string[] = [];
    const pool = createComputePool({ size: 1, entry, replayDeadlineMs: 800, onLog: (_l, m) => logs.push(m) });
    try {
      const err = await pool.addPair({ key: 'k', symbol: 'BTC/USDT', strategy: { id: 'sma-crossover', params: {} }, history: [] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BotDeskError);
      expect((err as BotDeskError).code).toBe('COMPUTE_ERROR');
      expect((err as BotDeskError).message).toMatch(/^no compute worker became ready within 800 ms: compute worker 0 exited \(code 3\)/);
      expect(logs.filter((l) => l.includes('failed to start')).length).toBeGreaterThan(1);
    } finally {
      await pool.close();
    }
    expect(pool.pids()).toEqual([]);
  });

  it('a worker speaking another protocol version is refused', async () => {
    const entry = join(dir, 'old-protocol.mjs');
    writeFileSync(entry, "process.on('message', () => process.send({ type: 'ready', v: 999, pid: process.pid }));\n");
    const logs: string[] = [];
    const pool = createComputePool({ size: 1, entry, replayDeadlineMs: 500, onLog: (_l, m) => logs.push(m) });
    try {
      const err = await pool.strategies().then(
        () => null,
        (e: unknown) => e as BotDeskError,
      );
      expect(err?.message).toContain('compute worker speaks protocol 999, the pool 1');
    } finally {
      await pool.close();
    }
  });
});
