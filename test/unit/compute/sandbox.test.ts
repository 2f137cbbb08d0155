/**
 * What strategy code in a (headless, Node) compute worker can reach: not files outside
 * its folder through a symbolic link, not the rest of the app folder (where a portable
 * install keeps its data), not the network modules; and its heap is capped, a runaway
 * strategy failing its own pair only.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workerReadPaths } from '../../../src/core/compute/host.ts';
import { createComputePool } from '../../../src/core/compute/pool.ts';
import { resolveWorkerEntry } from '../../../src/core/compute/worker-location.ts';
import { listStrategies } from '../../../src/core/strategy/registry.ts';

const APP_ROOT = join(import.meta.dirname, '../../..');
const SECRET = 'token-that-must-stay-secret-0123456789';

/** A user strategy whose description is what the JavaScript `expression` evaluates to at import. */
const probe = (id: string, setup: string, expression: string) =>
  [
    "import { readFileSync } from 'node:fs';",
    'const attempt = async (f) => { try { const v = await f(); return v === undefined ? "undefined" : "allowed"; } catch (e) { return e.code ?? e.message; } };',
    setup,
    `export default ({ z }) => ({ id: '${id}', name: '${id}', description: String(${expression}), params: z.object({}), indicators: [], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: {} }) }) });`,
  ].join('\n');

async function described(strategies: string): Promise<Record<string, string>> {
  const infos = await listStrategies(strategies, { timeoutMs: 8000 });
  return Object.fromEntries(
    infos.filter((i) => i.origin === 'user').map((i) => [i.id, i.error ?? i.description]),
  );
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('symbolic links in the strategies folder', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-sandbox-'));
    mkdirSync(join(dir, 'strategies'));
    writeFileSync(join(dir, 'server-token'), `${SECRET}\n`);
  });

  it('a link leading out of the folder is refused and reads nothing', async () => {
    const strategies = join(dir, 'strategies');
    symlinkSync('..', join(strategies, 'up'));
    symlinkSync(join(dir, 'server-token'), join(strategies, 'token.mjs'));
    writeFileSync(
      join(strategies, 'reader.mjs'),
      probe(
        'reader',
        `const viaDir = await attempt(() => readFileSync(new URL('./up/server-token', import.meta.url), 'utf8'));`,
        'viaDir',
      ),
    );
    const user = await described(strategies);
    expect(user.reader).toBe('ERR_ACCESS_DENIED');
    expect(user.token).toMatch(/is a symbolic link leading outside the strategies folder; refused/);
    expect(JSON.stringify(user)).not.toContain(SECRET);
  });

  it('a link to a file inside the folder still loads', async () => {
    const strategies = join(dir, 'strategies');
    mkdirSync(join(strategies, 'lib'));
    writeFileSync(join(strategies, 'lib', 'real.mjs'), probe('linked', '', "'inside'"));
    symlinkSync(join(strategies, 'lib', 'real.mjs'), join(strategies, 'linked.mjs'));
    symlinkSync('..', join(strategies, 'up')); // forces file-by-file grants
    expect((await described(strategies)).linked).toBe('inside');
  });
});

describe('the app folder around a data folder inside it', () => {
  let data: string;
  beforeEach(() => {
    dir = mkdtempSync(join(APP_ROOT, '.sandbox-test-'));
    data = join(dir, 'data');
    mkdirSync(join(data, 'strategies'), { recursive: true });
    writeFileSync(join(data, 'server-token'), `${SECRET}\n`);
  });

  it('the worker may read the app code and its dependencies, not the app root', () => {
    const paths = workerReadPaths(resolveWorkerEntry(), []);
    expect(paths).not.toContain(APP_ROOT);
    expect(paths.some((p) => data.startsWith(p))).toBe(false);
  });

  it('a strategy cannot read the data folder nor other files of the app root', async () => {
    writeFileSync(
      join(data, 'strategies', 'peek.mjs'),
      probe(
        'peek',
        [
          `const token = await attempt(() => readFileSync(${JSON.stringify(join(data, 'server-token'))}, 'utf8'));`,
          `const readme = await attempt(() => readFileSync(${JSON.stringify(join(APP_ROOT, 'README.md'))}, 'utf8'));`,
        ].join('\n'),
        '`${token} ${readme}`',
      ),
    );
    expect((await described(join(data, 'strategies'))).peek).toBe(
      'ERR_ACCESS_DENIED ERR_ACCESS_DENIED',
    );
  });
});

describe('network and memory', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-sandbox-'));
  });

  it('the network modules and globals are not available to strategy code', async () => {
    writeFileSync(
      join(dir, 'net.mjs'),
      probe(
        'net',
        [
          "const esm = await attempt(() => import('node:net'));",
          "const http = await attempt(() => import('http'));",
          "const builtin = await attempt(() => process.getBuiltinModule('node:dgram'));",
          "const req = await attempt(async () => (await import('node:module')).createRequire(import.meta.url)('node:tls'));",
          'const globals = [typeof fetch, typeof WebSocket].join("/");',
        ].join('\n'),
        '`${esm} ${http} ${builtin} ${req} ${globals}`',
      ),
    );
    expect((await described(dir)).net).toBe(
      'ERR_ACCESS_DENIED ERR_ACCESS_DENIED ERR_ACCESS_DENIED ERR_ACCESS_DENIED undefined/undefined',
    );
  });

  it('a strategy that eats memory fails its own pair; the worker heap is capped', async () => {
    writeFileSync(
      join(dir, 'hog.mjs'),
      `const kept = [];\nexport default ({ z }) => ({ id: 'hog', name: 'hog', description: '', params: z.object({}), indicators: [], warmup: () => 0, create: () => ({ update() { for (;;) kept.push(new Array(1e6).fill(Math.random())); } }) });\n`,
    );
    const logs: string[] = [];
    const pool = createComputePool({
      size: 1,
      strategiesDir: dir,
      watch: false,
      maxHeapMb: 64,
      replayDeadlineMs: 10_000,
      deadlineMs: 10_000,
      onLog: (_l, m) => logs.push(m),
    });
    const candle = (ts: number) => ({ ts, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    try {
      await pool.addPair({
        key: 'hog',
        symbol: 'BTC/USDT',
        strategy: { id: 'hog', params: {} },
        history: [],
      });
      await pool.addPair({
        key: 'ok',
        symbol: 'ETH/USDT',
        strategy: { id: 'sma-crossover', params: {} },
        history: [],
      });
      const [hog] = await pool.evaluate([{ key: 'hog', candles: [candle(1)] }]);
      expect(hog).toMatchObject({ ok: false });
      expect(logs.join('\n')).toMatch(/out of memory\? the worker heap is capped at 64 MB/);
      // The rebuild replays the hog's candle, runs out again, and quarantines it; the other pair goes on.
      let results = await pool.evaluate([
        { key: 'hog', candles: [candle(2)] },
        { key: 'ok', candles: [candle(2)] },
      ]);
      for (
        let i = 3;
        i < 200 && !(results[0]!.ok === false && !results[0]!.degraded && results[1]!.ok);
        i++
      ) {
        await new Promise((r) => setTimeout(r, 50));
        results = await pool.evaluate([
          { key: 'hog', candles: [candle(i)] },
          { key: 'ok', candles: [candle(i)] },
        ]);
      }
      expect(results[0]).toMatchObject({ ok: false, degraded: false });
      expect((results[0] as { error: { message: string } }).error.message).toMatch(
        /hog quarantined/,
      );
      expect(results[1]).toMatchObject({ ok: true });
    } finally {
      await pool.close();
    }
  });
});
