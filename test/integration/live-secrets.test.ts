/**
 * A whole live run with a known fake key, through the contract as the app drives it:
 * keys entered (encrypted store), checked, live armed on the testnet, a live bot trading
 * on the loopback Binance with real ccxt, stopped. Then every log line, every event,
 * every file in the data folder (journal, ledger, settings, key store) and the renderer's
 * stores are searched for the key, the secret and the passphrase: none may appear.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/core/api/client.ts';
import { EVENTS } from '../../src/core/api/channels.ts';
import { createDispatcher, type Dispatch } from '../../src/core/api/dispatcher.ts';
import type { BotStatus, Fill, Order } from '../../src/core/api/schemas.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { connectExchange } from '../../src/core/execution/ccxt-connect.ts';
import { createClock } from '../../src/core/market/clock.ts';
import {
  EncryptedSecretStore,
  secretsFile,
  type SecretCipher,
} from '../../src/core/secrets/encrypted-store.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import {
  attachFeed,
  createAppStores,
  createCommands,
} from '../../src/renderer/src/state/controller.ts';
import { LIVE_BOT_CONFIG } from '../fixtures/execution/live-harness.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';
import { FakeBinanceAccount } from '../fixtures/market/fake-binance-account.ts';
import { until } from '../support/until.ts';

const KEY = 'KnownFakeApiKey-7f3a9c1e5b2d8f4a6c0e';
const SECRET = 'KnownFakeSecret-b4e8d2a6f0c3e7a1d5b9f2c6e0a4d8b3';
const PASSWORD = 'KnownFakePassphrase-91c7';
const SECRETS = [KEY, SECRET, PASSWORD];

/** Our SecretCipher interface doubled with real AES-GCM (Electron's safeStorage is absent here). */
function testCipher(): SecretCipher {
  const key = randomBytes(32);
  return {
    unavailableReason: () => null,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const clock = createClock({ speed: 600 });
const liveConfig = LIVE_BOT_CONFIG;
const cipher = testCipher();
let fake: FakeBinance;
let account: FakeBinanceAccount;
let host: CoreHost;
let dispatch: Dispatch;
let dataDir: string;
const seen: string[] = [];

async function call<T>(channel: string, payload?: unknown): Promise<T> {
  const res = await dispatch(channel, payload);
  seen.push(JSON.stringify(res));
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return res.data as T;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  fake = await FakeBinance.start({ clock });
  account = new FakeBinanceAccount(fake, {
    apiKey: KEY,
    secret: SECRET,
    balances: { USDT: 10_000, BTC: 0 },
    canWithdraw: true,
  });
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-secrets-'));
  const configure = (exchange: {
    urls: Record<string, unknown>;
    options: Record<string, unknown>;
  }) => fake.configure(exchange);
  host = await createCoreHost({
    dataDir,
    settings: createConfSettingsStore(dataDir),
    resume: false,
    logger: (line) => seen.push(JSON.stringify(line)),
    secrets: new EncryptedSecretStore({ file: secretsFile(dataDir), cipher }),
    marketOptions: {
      clock,
      ccxt: {
        configure: (ex) => configure(ex as never),
        retry: { attempts: 5, baseMs: 10, maxMs: 80 },
        timeoutMs: 1500,
      },
    },
    live: {
      configure: (ex) => {
        configure(ex as never);
        ex.enableRateLimit = false;
      },
      timeoutMs: 1500,
      pollMs: 50,
      lostOrderGraceMs: 500,
      backoff: { baseMs: 10, maxMs: 80 },
    },
  });
  for (const event of EVENTS)
    host.bus.on(event, (payload: unknown) => seen.push(JSON.stringify({ event, payload })));
  dispatch = createDispatcher(host.handlers);
});
afterAll(async () => {
  await host?.close({ timeoutMs: 5000 });
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a live run with a known fake key', () => {
  it('trades live on the loopback exchange and the keys appear nowhere but in encrypted form', async () => {
    const api = createApiClient({
      invoke: (channel, payload) => dispatch(channel, payload),
      subscribe: (event, listener) => host.bus.on(event, listener as never),
    });
    const stores = createAppStores();
    const detach = await attachFeed(api, stores);

    // Live is refused before keys and arming, with the reason.
    const config = liveConfig;
    await expect(call('bot:start', { config })).rejects.toThrow(/live trading is not armed/);
    await expect(
      call('bot:armLive', { exchange: 'binance', confirm: 'binance', sandbox: true }),
    ).rejects.toThrow(/live trading needs API keys for binance/);

    const status = await call<{ apiKey: string; source: string }>('secrets:set', {
      exchange: 'binance',
      apiKey: KEY,
      secret: SECRET,
      password: PASSWORD,
    });
    expect(status).toMatchObject({
      source: 'safeStorage',
      apiKey: `••••${KEY.slice(-4)}`,
      hasSecret: true,
    });
    const check = await call<{ ok: boolean; canWithdraw: boolean | null; warnings: string[] }>(
      'secrets:test',
      {
        exchange: 'binance',
      },
    );
    expect(check.ok).toBe(true);
    expect(check.canWithdraw).toBe(true);
    expect(check.warnings.join(' ')).toMatch(/can withdraw funds/);

    // The same through the renderer's commands (Settings → Live trading): the keys go out in
    // the call; the live store holds the masked status and the check with its warning only.
    const commands = createCommands(() => api, stores);
    expect(
      await commands.saveKeys({
        exchange: 'binance',
        apiKey: KEY,
        secret: SECRET,
        password: PASSWORD,
      }),
    ).toBe(true);
    expect(stores.live.getState().secrets?.apiKey).toBe(`••••${KEY.slice(-4)}`);
    expect(await commands.testConnection('binance', false)).toBe(true);
    expect(stores.live.getState().check).toMatchObject({ ok: true, canWithdraw: true });

    await expect(
      call('bot:armLive', { exchange: 'binance', confirm: 'binanse', sandbox: true }),
    ).rejects.toThrow(/type the exchange's name \(binance\)/);
    expect(await call('bot:liveStatus')).toMatchObject({ armed: false });
    expect(
      await call('bot:armLive', { exchange: 'binance', confirm: 'Binance', sandbox: true }),
    ).toMatchObject({
      armed: true,
      exchange: 'binance',
      sandbox: true,
    });

    const started = await call<BotStatus>('bot:start', { config });
    expect(started).toMatchObject({ state: 'running', mode: 'live' });
    const fills = await until('a buy and a sell on the exchange', () => {
      const sides = new Set(account.trades.map((t) => (t.isBuyer ? 'buy' : 'sell')));
      return sides.has('buy') && sides.has('sell') ? account.trades.length : false;
    });
    expect(fills).toBeGreaterThanOrEqual(2);
    await call('bot:stop', { reason: 'test done', timeoutMs: 5000 });

    // What the exchange traded is what the journal holds: same trades, fees in USDT.
    const journalFills = await call<Fill[]>('journal:fills', { limit: 100 });
    const orders = await call<Order[]>('journal:orders', { limit: 100 });
    expect(new Set(journalFills.map((f) => f.id))).toEqual(
      new Set(account.trades.map((t) => `binance:BTC/USDT:${t.id}`)),
    );
    expect(orders.every((o) => o.mode === 'live' && /^bd[a-z0-9]{30}$/.test(o.id))).toBe(true);
    for (const o of account.orders)
      expect(account.ordersWithClientId(o.clientOrderId)).toHaveLength(1);
    await until(
      'the renderer feed to settle',
      () => stores.bot.getState().status?.state === 'stopped',
    );
    detach();

    // Nowhere: logs, events, contract answers, renderer stores, any file in the data folder.
    const renderer = JSON.stringify(
      Object.fromEntries(Object.entries(stores).map(([name, store]) => [name, store.getState()])),
    );
    const files = filesUnder(dataDir);
    expect(files.map((f) => f.slice(dataDir.length + 1))).toEqual(
      expect.arrayContaining([
        'journal-live.sqlite',
        'live-orders.sqlite',
        'settings.json',
        'secrets.json',
      ]),
    );
    for (const secret of SECRETS) {
      expect(seen.filter((s) => s.includes(secret))).toEqual([]);
      expect(renderer.includes(secret)).toBe(false);
      for (const file of files)
        expect(readFileSync(file).includes(secret), `${file} holds a key`).toBe(false);
    }
    expect(seen.some((s) => s.includes('live trading ARMED on binance (testnet)'))).toBe(true);
    // The key store holds ciphertext that decrypts to the keys (so the search above could fail).
    for (const name of ['secrets.json', 'live-orders.sqlite', 'live-arming.json'])
      expect((statSync(join(dataDir, name)).mode & 0o777).toString(8), name).toBe('600');
    expect(new EncryptedSecretStore({ file: secretsFile(dataDir), cipher }).get('binance')).toEqual(
      {
        apiKey: KEY,
        secret: SECRET,
        password: PASSWORD,
      },
    );
  });

  it('a partial fill completes outside the tick: the rest reaches the journal and the positions match the exchange', async () => {
    // An order the trader placed by hand: the start's reconcile reports it and leaves it alone.
    const { exchange: manual } = await connectExchange({
      exchange: 'binance',
      keys: { apiKey: KEY, secret: SECRET },
      sandbox: false,
      configure: (ex) => fake.configure(ex as never),
    });
    await manual.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000, {
      clientOrderId: 'by_hand_1',
    });
    await manual.close();
    account.failNext('POST /api/v3/order', { partial: 0.5 });
    const tradesBefore = account.trades.length;
    const running = await call<BotStatus>('bot:start', { config: liveConfig });
    expect(running.warnings.join('\n')).toMatch(
      /reconcile: open order \d+ on BTC\/USDT \(buy 0.001 @ 10000\) was not placed by BotDesk: left alone/,
    );
    const partial = await until('a partially filled order', () =>
      account.orders.find((o) => o.status === 'PARTIALLY_FILLED'),
    );
    account.fillOrder(partial.orderId);
    const id = partial.clientOrderId;
    await until('the late fill in the journal', async () => {
      const orders = await call<Order[]>('journal:orders', { limit: 200 });
      return orders.find((o) => o.id === id)?.status === 'filled';
    });
    await call('bot:stop', { reason: 'test done', timeoutMs: 5000 });
    const fills = (await call<Fill[]>('journal:fills', { limit: 1000 })).filter(
      (f) => f.orderId === id,
    );
    expect(fills.reduce((a, f) => a + f.amount, 0)).toBeCloseTo(partial.origQty, 10);
    expect(account.trades.length).toBeGreaterThan(tradesBefore);
    const positions = await call<{ symbol: string; amount: number }[]>('journal:positions');
    const held = positions.find((p) => p.symbol === 'BTC/USDT')?.amount ?? 0;
    const btc = account.balances.get('BTC')!;
    expect(held).toBeCloseTo(btc.free + btc.locked, 10);
    expect(account.orders.find((o) => o.clientOrderId === 'by_hand_1')?.status).toBe('NEW');
    for (const secret of SECRETS) expect(seen.filter((l) => l.includes(secret))).toEqual([]);
  });
});
