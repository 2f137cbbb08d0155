/**
 * Key stores: the environment, a private key file (mode checked), the encrypted store
 * (refused with the reason where the OS cannot encrypt), masking and redaction.
 */
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EncryptedSecretStore,
  SecretChain,
  type SecretCipher,
} from '../../../src/core/secrets/encrypted-store.ts';
import { EnvSecretStore, headlessSecrets } from '../../../src/core/secrets/env-store.ts';
import { KeyFileSecretStore } from '../../../src/core/secrets/key-file-store.ts';
import { createRedactor, maskKey } from '../../../src/core/secrets/mask.ts';

const KEYS = { apiKey: 'abcdefghijklmnop1234', secret: 'secretsecretsecret99' };

/** Our cipher interface doubled: reversible, and visibly not plain text. */
function xorCipher(reason: string | null = null): SecretCipher {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    unavailableReason: () => reason,
    encrypt: (plain) => flip(Buffer.from(plain, 'utf8')),
    decrypt: (data) => flip(data).toString('utf8'),
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('masking and redaction', () => {
  it('shows at most the last four characters', () => {
    expect(maskKey('abcdefghijklmnop1234')).toBe('••••1234');
    expect(maskKey('short')).toBe('••••');
  });

  it('removes every known secret from a text', () => {
    const redact = createRedactor(() => [KEYS.apiKey, KEYS.secret, 'abc']);
    expect(redact(`key=${KEYS.apiKey} and ${KEYS.secret}; abc stays`)).toBe(
      'key=[redacted] and [redacted]; abc stays',
    );
  });
});

describe('environment keys', () => {
  it('reads BOTDESK_<EXCHANGE>_API_KEY/SECRET/PASSWORD, masked in the status, and refuses to store', () => {
    const store = new EnvSecretStore({
      BOTDESK_BINANCE_API_KEY: KEYS.apiKey,
      BOTDESK_BINANCE_API_SECRET: KEYS.secret,
    });
    expect(store.get('binance')).toEqual(KEYS);
    expect(store.get('kraken')).toBeNull();
    expect(store.status('binance')).toEqual({
      exchange: 'binance',
      source: 'env',
      apiKey: '••••1234',
      hasSecret: true,
      writable: false,
    });
    expect(store.status('kraken').reason).toMatch(/no BOTDESK_KRAKEN_API_KEY/);
    expect(() => store.set('binance')).toThrow(/headless BotDesk does not store keys/);
    expect(store.values()).toEqual([KEYS.apiKey, KEYS.secret]);
    expect(() => store.get('Bad-Id')).toThrow(/not an exchange id/);
  });
});

describe('key file', () => {
  const write = (mode: number, body: unknown = { binance: KEYS }) => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    chmodSync(file, mode);
    return file;
  };

  it('reads a file only its owner can read', () => {
    const store = new KeyFileSecretStore(write(0o600));
    expect(store.get('binance')).toEqual(KEYS);
    expect(store.status('binance')).toMatchObject({ source: 'file', apiKey: '••••1234' });
  });

  it('refuses a file others can read, saying how to fix it', () => {
    const file = write(0o644);
    const store = new KeyFileSecretStore(file);
    expect(() => store.get('binance')).toThrow(
      `key file ${file} is readable by other users (mode 644); run: chmod 600 ${file}`,
    );
    expect(store.status('binance')).toMatchObject({
      apiKey: null,
      reason: expect.stringMatching(/chmod 600/),
    });
    expect(store.values()).toEqual([]);
  });

  it('explains a malformed file without quoting its content', () => {
    const bad = new KeyFileSecretStore(write(0o600, `{"binance": "${KEYS.secret}"`));
    expect(() => bad.get('binance')).toThrow(/is not valid JSON$/);
    const wrong = new KeyFileSecretStore(write(0o600, { binance: { apiKey: KEYS.apiKey } }));
    const err = (() => {
      try {
        wrong.get('binance');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/problem at: binance.secret/);
    expect(err?.message).not.toContain(KEYS.apiKey);
  });

  it('headless keys: environment first, then BOTDESK_KEY_FILE', () => {
    const file = write(0o600, {
      binance: KEYS,
      kraken: { apiKey: 'krakenkey123456', secret: 's3cr3t-kraken' },
    });
    const store = headlessSecrets({
      BOTDESK_KEY_FILE: file,
      BOTDESK_BINANCE_API_KEY: 'envkey123456789',
      BOTDESK_BINANCE_API_SECRET: 'envsecret',
    });
    expect(store.get('binance')?.apiKey).toBe('envkey123456789');
    expect(store.get('kraken')?.apiKey).toBe('krakenkey123456');
    expect(store.status('kraken').source).toBe('file');
  });
});

describe('encrypted store', () => {
  it('keeps only ciphertext on disk, mode 600, and reads it back', () => {
    const file = join(dir, 'secrets.json');
    const store = new EncryptedSecretStore({ file, cipher: xorCipher() });
    store.set('binance', KEYS);
    const disk = readFileSync(file, 'utf8');
    expect(disk).not.toContain(KEYS.apiKey);
    expect(disk).not.toContain(KEYS.secret);
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const again = new EncryptedSecretStore({ file, cipher: xorCipher() });
    expect(again.get('binance')).toEqual(KEYS);
    expect(again.status('binance')).toEqual({
      exchange: 'binance',
      source: 'safeStorage',
      apiKey: '••••1234',
      hasSecret: true,
      writable: true,
    });
    again.delete('binance');
    expect(new EncryptedSecretStore({ file, cipher: xorCipher() }).get('binance')).toBeNull();
  });

  it('refuses keys, with the reason, where the OS offers no encryption, and writes nothing', () => {
    const file = join(dir, 'secrets.json');
    const store = new EncryptedSecretStore({ file, cipher: xorCipher('no keyring is available') });
    expect(() => store.set('binance', KEYS)).toThrow(
      'API keys cannot be stored safely on this system: no keyring is available',
    );
    expect(existsSync(file)).toBe(false);
    expect(store.status('binance')).toMatchObject({
      writable: false,
      reason: expect.stringMatching(/no keyring/),
    });
  });

  it('says when stored keys cannot be decrypted here', () => {
    const file = join(dir, 'secrets.json');
    new EncryptedSecretStore({ file, cipher: xorCipher() }).set('binance', KEYS);
    const other: SecretCipher = { ...xorCipher(), decrypt: () => 'garbage' };
    const store = new EncryptedSecretStore({ file, cipher: other });
    expect(store.get('binance')).toBeNull();
    expect(store.status('binance').reason).toMatch(/cannot be decrypted/);
  });

  it('a chain stores in the first writable store and answers from the first that has keys', () => {
    const enc = new EncryptedSecretStore({ file: join(dir, 's.json'), cipher: xorCipher() });
    const env = new EnvSecretStore({
      BOTDESK_KRAKEN_API_KEY: 'krakenkey123456',
      BOTDESK_KRAKEN_API_SECRET: 'x-secret',
    });
    const chain = new SecretChain([enc, env]);
    chain.set('binance', KEYS);
    expect(enc.get('binance')).toEqual(KEYS);
    expect(chain.get('kraken')?.apiKey).toBe('krakenkey123456');
    expect(chain.status('kraken')).toMatchObject({ source: 'env', writable: true });
    expect(chain.values()).toEqual(
      expect.arrayContaining([KEYS.apiKey, KEYS.secret, 'krakenkey123456']),
    );
  });
});
