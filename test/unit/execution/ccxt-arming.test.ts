/** Live arming: the exchange's name typed as confirmation, keys required, testnet offered, checked at start. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotConfig } from '../../../src/core/api/schemas.ts';
import { armingFile, LiveArmingStore } from '../../../src/core/execution/ccxt-arming.ts';
import { EnvSecretStore } from '../../../src/core/secrets/env-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-arming-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const withKeys = new EnvSecretStore({
  BOTDESK_BINANCE_API_KEY: 'binancekey123456',
  BOTDESK_BINANCE_API_SECRET: 'binancesecret',
  BOTDESK_KRAKEN_API_KEY: 'krakenkey1234567',
  BOTDESK_KRAKEN_API_SECRET: 'krakensecret',
});
const liveConfig = (exchange = 'binance') =>
  BotConfig.parse({ mode: 'live', market: { source: 'ccxt', exchange } });

describe('live arming', () => {
  it('needs the exchange name typed as confirmation, and changes nothing otherwise', async () => {
    const arming = new LiveArmingStore({ file: armingFile(dir), secrets: withKeys, now: () => 42 });
    await expect(
      arming.arm({ exchange: 'binance', confirm: 'yes', sandbox: true }),
    ).rejects.toThrow("to arm live trading, type the exchange's name (binance) as confirmation");
    expect(arming.get().armed).toBe(false);
    expect(await arming.arm({ exchange: 'binance', confirm: ' Binance ', sandbox: true })).toEqual({
      armed: true,
      exchange: 'binance',
      sandbox: true,
      armedAt: 42,
    });
    expect(new LiveArmingStore({ file: armingFile(dir), secrets: withKeys }).get().armed).toBe(
      true,
    );
  });

  it('is refused without keys, with the reason', async () => {
    const arming = new LiveArmingStore({ file: armingFile(dir), secrets: new EnvSecretStore({}) });
    await expect(
      arming.arm({ exchange: 'binance', confirm: 'binance', sandbox: false }),
    ).rejects.toThrow(/live trading needs API keys for binance: no BOTDESK_BINANCE_API_KEY/);
  });

  it('offers the testnet only where ccxt knows one', async () => {
    const arming = new LiveArmingStore({ file: armingFile(dir), secrets: withKeys });
    await expect(
      arming.arm({ exchange: 'kraken', confirm: 'kraken', sandbox: true }),
    ).rejects.toThrow(/kraken has no testnet in ccxt/);
    expect(
      (await arming.arm({ exchange: 'kraken', confirm: 'kraken', sandbox: false })).sandbox,
    ).toBe(false);
  });

  it('a live start needs exchange data from the armed exchange; disarming blocks the next start', async () => {
    const arming = new LiveArmingStore({ file: armingFile(dir), secrets: withKeys });
    expect(() => arming.check(liveConfig())).toThrow(/live trading is not armed/);
    expect(() => arming.check(BotConfig.parse({ mode: 'live' }))).toThrow(
      /needs exchange market data/,
    );
    await arming.arm({ exchange: 'binance', confirm: 'binance', sandbox: true });
    expect(arming.check(liveConfig()).sandbox).toBe(true);
    expect(() => arming.check(liveConfig('kraken'))).toThrow(/armed for binance, not kraken/);
    arming.disarm();
    expect(() => arming.check(liveConfig())).toThrow(/not armed/);
  });

  it('a damaged arming file arms nothing', () => {
    writeFileSync(armingFile(dir), '{"armed": true');
    expect(new LiveArmingStore({ file: armingFile(dir), secrets: withKeys }).get().armed).toBe(
      false,
    );
  });
});
