/**
 * `botdesk run --live` as a real child process, its real ccxt pointed at two loopback
 * Binances (the exchange and its testnet; see ccxt-loopback-preload.ts): a --testnet run
 * trades on the testnet only and stops cleanly on SIGINT; the refusals (no confirmation,
 * a wrong one, no keys, a key file others can read) say why, start nothing, and no key
 * is ever printed.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../src/core/market/clock.ts';
import { KEYS, startLoopbackNets, type LoopbackNets } from '../fixtures/execution/live-harness.ts';
import type { FakeBinance } from '../fixtures/market/fake-binance.ts';
import type { FakeBinanceAccount } from '../fixtures/market/fake-binance-account.ts';
import { until } from '../support/until.ts';
import { CLI } from '../unit/headless/run-cli.ts';

const PRELOAD = resolve(import.meta.dirname, '../fixtures/market/ccxt-loopback-preload.ts');
const clock = createClock({ speed: 600 });
let nets: LoopbackNets;
let main: FakeBinance;
let testnet: FakeBinance;
let account: FakeBinanceAccount;
let dir: string;

const KEY_ENV = { BOTDESK_BINANCE_API_KEY: KEYS.apiKey, BOTDESK_BINANCE_API_SECRET: KEYS.secret };
const LIVE_ARGS = ['--live', '--exchange', 'binance', '--symbols', 'BTC/USDT', '--timeframe', '1m'];

function botdesk(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', PRELOAD, CLI, 'run', ...args], {
    env: {
      ...process.env,
      BOTDESK_TOKEN: '',
      BOTDESK_BINANCE_API_KEY: undefined,
      BOTDESK_BINANCE_API_SECRET: undefined,
      BOTDESK_KEY_FILE: undefined,
      BOTDESK_TEST_CCXT_NETS: JSON.stringify({
        main: { restUrl: main.restUrl, wsUrl: main.wsUrl },
        test: { restUrl: testnet.restUrl, wsUrl: testnet.wsUrl },
      }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('exit', (code) => setImmediate(() => done({ code, stdout, stderr }))),
  );
  return { child, exited, output: () => stdout + stderr };
}

function expectNoKey(text: string): void {
  expect(text.includes(KEYS.apiKey)).toBe(false);
  expect(text.includes(KEYS.secret)).toBe(false);
}

beforeAll(async () => {
  nets = await startLoopbackNets(clock);
  ({ main, testnet, account } = nets);
  dir = mkdtempSync(join(tmpdir(), 'botdesk-run-live-'));
});
afterAll(async () => {
  await nets?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('botdesk run --live', () => {
  it('refuses without a confirmation, with a wrong one, without keys and with a key file others can read', async () => {
    const dataDir = join(dir, 'refusals');
    const keyFile = join(dir, 'keys.json');
    writeFileSync(keyFile, JSON.stringify({ binance: KEYS }));
    chmodSync(keyFile, 0o644);
    const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
      [[], KEY_ENV, 2, /--live needs --confirm binance/],
      [['--confirm', 'binanse'], KEY_ENV, 2, /type the exchange's name \(binance\)/],
      [['--confirm', 'binance', '--testnet'], {}, 1, /live trading needs API keys for binance/],
      [
        ['--confirm', 'binance', '--testnet'],
        { BOTDESK_KEY_FILE: keyFile },
        1,
        /readable by other users \(mode 644\); run: chmod 600/,
      ],
    ];
    for (const [args, env, code, message] of cases) {
      const run = await botdesk(['--data-dir', dataDir, ...LIVE_ARGS, ...args], env).exited;
      expect(run.code, run.stderr).toBe(code);
      expect(run.stderr).toMatch(message);
      expectNoKey(run.stdout + run.stderr);
    }
    // Nothing started, nothing armed.
    expect(main.requests).toEqual([]);
    expect(testnet.requests).toEqual([]);
    const arming = join(dataDir, 'live-arming.json');
    expect(existsSync(arming) && JSON.parse(readFileSync(arming, 'utf8')).armed).toBeFalsy();
  }, 60_000);

  it('--testnet trades on the testnet only and stops cleanly on SIGINT', async () => {
    const run = botdesk(
      [
        '--data-dir',
        join(dir, 'testnet'),
        ...LIVE_ARGS,
        '--confirm',
        'binance',
        '--testnet',
        '--strategy',
        'sma-crossover:fast=2,slow=3',
        '--json',
      ],
      KEY_ENV,
    );
    try {
      await until('an order on the testnet', () => account.orders.length > 0, 45_000);
    } catch (err) {
      run.child.kill('SIGKILL');
      throw new Error(`${String(err)}\n${run.output()}`, { cause: err });
    }
    run.child.kill('SIGINT');
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    const summary = JSON.parse(done.stdout) as { mode: string; state: string; orders: number };
    expect(summary).toMatchObject({ mode: 'live', state: 'stopped', testnet: true });
    expect(summary.orders).toBeGreaterThan(0);
    expect(done.stderr).toMatch(/live trading ARMED on binance \(testnet\)/);
    expect(done.stderr).toMatch(/market data from binance's testnet/);
    expect(main.requests).toEqual([]);
    expect(main.wsConnections).toBe(0);
    expectNoKey(done.stdout + done.stderr);
  }, 90_000);
});
