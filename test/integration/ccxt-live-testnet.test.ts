/**
 * A live bot armed for the testnet reads its market data from the testnet too: two
 * loopback Binances (the exchange and its testnet, at different prices), the real ccxt,
 * and the bot's candles, prices and orders must all come from the testnet one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from 'ccxt';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { EnvSecretStore } from '../../src/core/secrets/env-store.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import {
  KEYS,
  LIVE_BOT_CONFIG,
  startLoopbackNets,
  type LoopbackNets,
} from '../fixtures/execution/live-harness.ts';
import type { FakeBinance } from '../fixtures/market/fake-binance.ts';
import type { FakeBinanceAccount } from '../fixtures/market/fake-binance-account.ts';
import { pointCcxtAtNets } from '../fixtures/market/fake-binance-info.ts';
import { until } from '../support/until.ts';

const clock = createClock({ speed: 600 });
let nets: LoopbackNets;
let main: FakeBinance;
let testnet: FakeBinance;
let account: FakeBinanceAccount;
let host: CoreHost;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  nets = await startLoopbackNets(clock);
  ({ main, testnet, account } = nets);
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-testnet-'));
  const configure = (ex: Exchange) => pointCcxtAtNets(ex as never, { main, test: testnet });
  host = await createCoreHost({
    dataDir,
    settings: createConfSettingsStore(dataDir),
    resume: false,
    logger: (line) => logs.push(line.message),
    secrets: new EnvSecretStore({
      BOTDESK_BINANCE_API_KEY: KEYS.apiKey,
      BOTDESK_BINANCE_API_SECRET: KEYS.secret,
    }),
    marketOptions: {
      clock,
      ccxt: { configure, retry: { attempts: 5, baseMs: 10, maxMs: 80 }, timeoutMs: 1500 },
    },
    live: {
      configure: (ex) => {
        configure(ex);
        ex.enableRateLimit = false;
      },
      timeoutMs: 1500,
      pollMs: 50,
      lostOrderGraceMs: 500,
      backoff: { baseMs: 10, maxMs: 80 },
    },
  });
});
afterAll(async () => {
  await host?.close({ timeoutMs: 5000 });
  await nets?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('live on the testnet', () => {
  it("takes candles and prices from the testnet, never from the exchange's main endpoints", async () => {
    await host.handlers['bot:armLive']({ exchange: 'binance', confirm: 'binance', sandbox: true });
    await host.handlers['bot:start']({ config: LIVE_BOT_CONFIG, acknowledgeKillSwitch: false });
    await until('an order on the testnet', () => account.trades.length > 0);
    const price = host.manager.priceOf('BTC/USDT');
    await host.handlers['bot:stop']({ reason: 'test done', timeoutMs: 5000 });

    expect(main.requests).toEqual([]);
    expect(main.wsConnections).toBe(0);
    expect(testnet.requests.some((r) => r.startsWith('/api/v3/klines'))).toBe(true);
    // The bot's price is the testnet's (20 000), not the exchange's (60 000).
    expect(price).toBeGreaterThan(10_000);
    expect(price).toBeLessThan(30_000);
    expect(logs.some((l) => /market data from binance's testnet/.test(l))).toBe(true);
  });
});
