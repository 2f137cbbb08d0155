/**
 * The live-trading commands over the contract's real dispatcher and client, with the
 * core's real key stores and arming store behind them: the desktop's encrypted store
 * (a real AES-GCM cipher behind our SecretCipher interface) and the headless
 * environment store, which refuses to store keys.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../src/core/api/client.ts';
import type { ApiHandlers } from '../../../src/core/api/contract.ts';
import { createDispatcher } from '../../../src/core/api/dispatcher.ts';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { EncryptedSecretStore, secretsFile } from '../../../src/core/secrets/encrypted-store.ts';
import { EnvSecretStore } from '../../../src/core/secrets/env-store.ts';
import { createLiveParts } from '../../../src/core/secrets/live-handlers.ts';
import type { SecretStore } from '../../../src/core/secrets/types.ts';
import { createAppStores, createCommands } from '../../../src/renderer/src/state/controller.ts';
import { armedLabel, confirmMatches } from '../../../src/renderer/src/state/live-store.ts';
import { botStatus } from './fixtures.ts';

const KEY = 'UnitFakeApiKey-0a1b2c3d4e5f6789';
const SECRET = 'UnitFakeSecret-9f8e7d6c5b4a3210';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function cipher() {
  const key = randomBytes(32);
  return {
    unavailableReason: () => null,
    encrypt(plain: string) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data: Buffer) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

function setup(secrets: (dir: string) => SecretStore) {
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-liveui-'));
  dirs.push(dataDir);
  const parts = createLiveParts({
    dataDir,
    secrets: secrets(dataDir),
    journaledFills: () => new Set(),
    log: () => {},
  });
  const starts: unknown[] = [];
  const handlers = new Proxy({} as ApiHandlers, {
    get(_, channel: string) {
      if (channel in parts.handlers) return parts.handlers[channel as keyof typeof parts.handlers];
      if (channel === 'bot:start')
        return async (input: unknown) => {
          starts.push(input);
          return botStatus({ state: 'running', rev: 2 });
        };
      return async () => {
        throw new BotDeskError('NOT_IMPLEMENTED', 'not in this test');
      };
    },
  });
  const dispatch = createDispatcher(handlers);
  const api = createApiClient({
    invoke: (channel, payload) => dispatch(channel, payload),
    subscribe: () => () => {},
  });
  const stores = createAppStores();
  stores.bot.getState().applyStatus(botStatus({ rev: 1 }));
  stores.bot.getState().setConnection('connected');
  return { stores, commands: createCommands(() => api, stores), starts };
}

describe('live trading commands', () => {
  it('sends typed keys once and keeps only the masked answer', async () => {
    const { stores, commands } = setup(
      (dir) => new EncryptedSecretStore({ file: secretsFile(dir), cipher: cipher() }),
    );
    await commands.loadLive('binance');
    expect(stores.live.getState().secrets).toMatchObject({ apiKey: null, writable: true });
    expect(
      await commands.saveKeys({ exchange: 'binance', apiKey: KEY, secret: SECRET, password: '' }),
    ).toBe(true);
    const held = stores.live.getState();
    expect(held.secrets).toMatchObject({ source: 'safeStorage', hasSecret: true });
    expect(held.secrets?.apiKey).toMatch(/6789$/);
    const everything = JSON.stringify(
      Object.fromEntries(Object.entries(stores).map(([k, s]) => [k, s.getState()])),
    );
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(SECRET);
    await commands.deleteKeys('binance');
    expect(stores.live.getState().secrets?.apiKey).toBeNull();
  });

  it("shows the headless server's refusal to store keys, in its own words", async () => {
    const { stores, commands } = setup(() => new EnvSecretStore({}));
    await commands.loadLive('binance');
    expect(stores.live.getState().secrets).toMatchObject({ writable: false, source: 'none' });
    expect(
      await commands.saveKeys({ exchange: 'binance', apiKey: KEY, secret: SECRET, password: '' }),
    ).toBe(false);
    const { error, pending } = stores.live.getState();
    expect(pending).toBeNull();
    expect(error?.action).toBe('save');
    expect(error?.message).toContain('headless BotDesk does not store keys');
    expect(error?.message).toContain('BOTDESK_BINANCE_API_KEY');
    expect(JSON.stringify(stores.live.getState())).not.toContain(KEY);
  });

  it('arms only with the exchange name typed and keys present; disarms', async () => {
    const { stores, commands } = setup(
      (dir) => new EncryptedSecretStore({ file: secretsFile(dir), cipher: cipher() }),
    );
    expect(await commands.armLive('binance', 'binance', true)).toBe(false); // no keys yet
    expect(stores.live.getState().error?.message).toMatch(/API keys for binance/);
    await commands.saveKeys({ exchange: 'binance', apiKey: KEY, secret: SECRET, password: '' });
    expect(await commands.armLive('binance', 'kraken', true)).toBe(false);
    expect(stores.live.getState().error?.message).toMatch(/type the exchange's name \(binance\)/);
    expect(armedLabel(stores.live.getState().arming)).toBeNull();
    expect(await commands.armLive('binance', ' Binance ', true)).toBe(true);
    expect(stores.live.getState().arming).toMatchObject({
      armed: true,
      exchange: 'binance',
      sandbox: true,
    });
    expect(armedLabel(stores.live.getState().arming)).toBe('LIVE ARMED · binance TESTNET');
    await commands.disarmLive();
    expect(stores.live.getState().arming?.armed).toBe(false);
  });

  it('starts after a tripped kill switch only through the explicit acknowledgement', async () => {
    const { commands, starts } = setup(() => new EnvSecretStore({}));
    await commands.start();
    await commands.acknowledgeAndStart();
    expect(starts).toEqual([{}, { acknowledgeKillSwitch: true }]);
  });

  it('matches the typed confirmation like the core does', () => {
    expect(confirmMatches('binance', 'BINANCE ')).toBe(true);
    expect(confirmMatches('binance', 'binanc')).toBe(false);
    expect(confirmMatches('', '')).toBe(false);
    expect(armedLabel({ armed: true, exchange: 'kraken', sandbox: false, armedAt: 1 })).toBe(
      'LIVE ARMED · kraken REAL FUNDS',
    );
  });
});
