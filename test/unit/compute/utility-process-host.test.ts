/**
 * The desktop app's utilityProcess host, with Electron's `utilityProcess` replaced by a
 * stand-in that keeps the semantics the host depends on (electron.d.ts and Electron's
 * UtilityProcessWrapper): no pid and a no-op kill() until 'spawn'; postMessage queued
 * before it; 'message' carries the value itself; 'exit' carries a code; stdout/stderr
 * streams only with stdio 'pipe'; an env that is not empty replaces the parent's. The
 * processes are real: the real worker entry runs in a child with `process.parentPort`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Candle, Signal } from '../../../src/core/api/schemas.ts';
import { workerEnv } from '../../../src/core/compute/host.ts';
import { createComputePool, type StrategyComputePool } from '../../../src/core/compute/pool.ts';
import { resolveWorkerEntry } from '../../../src/core/compute/worker-location.ts';
import { prepareStrategy, signalOf } from '../../../src/core/strategy/definition.ts';
import { getBuiltinStrategy } from '../../../src/core/strategy/registry.ts';
import { createUtilityProcessHost } from '../../../src/main/utility-process-host.ts';
import { randomWalk } from '../../fixtures/strategies/candles.ts';
import { alive } from '../../support/child-processes.ts';

const shim = join(import.meta.dirname, '../../fixtures/compute/utility-process-shim.mjs');
const fixtures = join(import.meta.dirname, '../../fixtures/strategies');

interface ForkOptions {
  env?: Record<string, string>;
  serviceName?: string;
  stdio?: string;
}

/** Every process the stand-in started, whatever the host thinks of it. */
const started: ChildProcess[] = [];
const forks: Array<{ modulePath: string; options: ForkOptions }> = [];

class FakeUtilityProcess extends EventEmitter {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  #child: ChildProcess;
  #launched = false;
  #exited = false;

  constructor(modulePath: string, options: ForkOptions) {
    super();
    const pipe = options.stdio === 'pipe';
    this.#child = spawn(process.execPath, [shim, modulePath], {
      env: options.env && Object.keys(options.env).length > 0 ? options.env : process.env,
      stdio: ['ignore', pipe ? 'pipe' : 'inherit', pipe ? 'pipe' : 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    started.push(this.#child);
    this.stdout = this.#child.stdout;
    this.stderr = this.#child.stderr;
    this.#child.on('spawn', () => {
      this.#launched = true;
      this.emit('spawn');
    });
    this.#child.on('message', (m) => this.emit('message', m));
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      this.emit('exit', code ?? (signal === 'SIGKILL' ? 9 : 1));
    });
  }

  get pid(): number | undefined {
    return this.#launched && !this.#exited ? this.#child.pid : undefined;
  }

  postMessage(message: unknown): void {
    if (!this.#exited && this.#child.connected) this.#child.send(message as object);
  }

  /** Like Electron: false and nothing happens before the process has launched; SIGTERM after. */
  kill(): boolean {
    if (this.pid === undefined) return false;
    return this.#child.kill('SIGTERM');
  }
}

vi.mock('electron', () => ({
  utilityProcess: {
    fork(modulePath: string, _args: string[], options: ForkOptions) {
      forks.push({ modulePath, options });
      return new FakeUtilityProcess(modulePath, options);
    },
  },
}));

const entry = join(import.meta.dirname, '../../../src/core/compute/worker-entry.ts');

const candles = randomWalk(300, 5);
const history = candles.slice(0, 150);
const ticks = [candles.slice(150, 151), candles.slice(151, 190)];

function inProcess(id: string, ticksIn: Candle[][]): Signal[][] {
  const { instance } = prepareStrategy(getBuiltinStrategy(id)!, {});
  for (const c of history) instance.update(c);
  return ticksIn.map((t) => t.map((c) => signalOf('BTC/USDT', c, instance.update(c))));
}

let dir: string;
const pools: StrategyComputePool[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-utility-host-'));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill();
  forks.splice(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('utilityProcess host', () => {
  it('runs the compute worker entry: same signals as in-process, stripped env, no process left after close()', async () => {
    const pool = createComputePool({
      size: 2,
      entry,
      host: createUtilityProcessHost(),
      watch: false,
    });
    pools.push(pool);
    const ids = ['sma-crossover', 'macd-cross', 'bollinger-breakout'];
    await Promise.all(
      ids.map((id) =>
        pool.addPair({ key: id, symbol: 'BTC/USDT', strategy: { id, params: {} }, history }),
      ),
    );
    const got: Signal[][][] = ids.map(() => []);
    for (const t of ticks) {
      const results = await pool.evaluate(ids.map((key) => ({ key, candles: t })));
      results.forEach((r, i) => {
        if (!r.ok) throw new Error(JSON.stringify(r));
        got[i]!.push(r.signals);
      });
    }
    ids.forEach((id, i) => expect(got[i]).toEqual(inProcess(id, ticks)));
    expect(forks.map((f) => f.modulePath)).toEqual([entry, entry]);
    expect(forks.map((f) => f.options.serviceName)).toEqual([
      'botdesk-compute-0',
      'botdesk-compute-1',
    ]);
    expect(forks[0]!.options.env).toEqual(workerEnv());
    const pids = pool.pids();
    expect(pids).toHaveLength(2);
    await pool.close();
    expect(pids.some(alive)).toBe(false);
    expect(started.every((c) => c.exitCode !== null || c.signalCode !== null)).toBe(true);
  });

  // The desktop build (`npm run build`, which CI runs before the tests): what the app's
  // bundled main resolves and spawns is the bundled worker, and it works as a utility process.
  const builtMain = join(import.meta.dirname, '../../../out/main/index.js');
  it.skipIf(!existsSync(builtMain))(
    'the built app spawns out/main/compute-worker.js, next to its main bundle',
    async () => {
      const bundled = resolveWorkerEntry(pathToFileURL(builtMain).href);
      expect(bundled).toBe(join(import.meta.dirname, '../../../out/main/compute-worker.js'));
      const pool = createComputePool({
        size: 1,
        entry: bundled,
        host: createUtilityProcessHost(),
        watch: false,
      });
      pools.push(pool);
      await pool.addPair({
        key: 'k',
        symbol: 'BTC/USDT',
        strategy: { id: 'sma-crossover', params: {} },
        history,
      });
      const [r] = await pool.evaluate([{ key: 'k', candles: ticks[1]! }]);
      expect(r!.ok && r!.signals).toEqual(inProcess('sma-crossover', [ticks[1]!])[0]);
      expect(forks.map((f) => f.modulePath)).toEqual([bundled]);
    },
  );

  it('a hung worker is killed (SIGKILL: it ignores nothing) and replaced', async () => {
    copyFileSync(join(fixtures, 'test-faulty.mjs'), join(dir, 'test-faulty.mjs'));
    const pool = createComputePool({
      size: 1,
      entry,
      host: createUtilityProcessHost(),
      strategiesDir: dir,
      watch: false,
      deadlineMs: 500,
      replayDeadlineMs: 2000,
    });
    pools.push(pool);
    const at = ticks[0]![0]!.ts;
    await pool.addPair({
      key: 'hang',
      symbol: 'BTC/USDT',
      strategy: { id: 'test-faulty', params: { at, fault: 'hang' } },
      history,
    });
    const [before] = pool.pids();
    const [r] = await pool.evaluate([{ key: 'hang', candles: ticks[0]! }]);
    expect(r).toMatchObject({ ok: false, degraded: true, error: { code: 'TIMEOUT' } });
    for (let i = 0; i < 200 && (pool.pids().length === 0 || alive(before!)); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(alive(before!)).toBe(false);
    expect(started[0]!.signalCode).toBe('SIGKILL');
    expect(pool.pids()).toHaveLength(1);
    expect(pool.pids()).not.toContain(before);
  });

  it('kill() before the process has spawned still ends it, once it does', async () => {
    const proc = createUtilityProcessHost().spawn(entry, {
      name: 'botdesk-compute-0',
      env: workerEnv(),
      readPaths: [],
    });
    expect(proc.pid).toBeUndefined();
    proc.kill();
    const exit = await Promise.race([
      proc.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the process was not killed')), 5000),
      ),
    ]);
    expect(exit.code).not.toBe(0);
    expect(started[0]!.signalCode).toBe('SIGKILL');
    expect(proc.send({ v: 1, type: 'shutdown' })).toBe(false);
  });

  it("forwards the workers' stdout and stderr lines to the log, named by worker and pid", async () => {
    writeFileSync(
      join(dir, 'chatty.mjs'),
      "export default ({ z }) => ({ id: 'chatty', name: 'c', description: '', params: z.object({}), indicators: [], warmup: () => 0, create: () => ({ update(c) { console.log('close', c.close); console.error('careful'); return { action: 'hold', strength: 0, indicators: {} }; } }) });\n",
    );
    const lines: Array<[string, string]> = [];
    const pool = createComputePool({
      size: 1,
      entry,
      host: createUtilityProcessHost({ log: (level, message) => lines.push([level, message]) }),
      strategiesDir: dir,
      watch: false,
    });
    pools.push(pool);
    await pool.addPair({
      key: 'c',
      symbol: 'BTC/USDT',
      strategy: { id: 'chatty', params: {} },
      history: [],
    });
    await pool.evaluate([{ key: 'c', candles: [candles[0]!] }]);
    const [pid] = pool.pids();
    for (let i = 0; i < 200 && lines.length < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    // Two streams: their relative order is not defined.
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['info', `botdesk-compute-0[${pid}]: close ${candles[0]!.close}`],
        ['warn', `botdesk-compute-0[${pid}]: careful`],
      ]),
    );
    expect(forks[0]!.options.stdio).toBe('pipe');
  });
});
