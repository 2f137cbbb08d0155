/**
 * The safeStorage adapter with Electron mocked (its binary is absent): available only
 * when the OS really encrypts, and the encrypted store on top of it round-trips keys.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const fakeSafeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable: () => fakeSafeStorage.available,
  getSelectedStorageBackend: () => fakeSafeStorage.backend,
  encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').toString(),
};
vi.mock('electron', () => ({ safeStorage: fakeSafeStorage }));

const { safeStorageCipher } = await import('../../../src/main/secrets-safe-storage.ts');
const { EncryptedSecretStore } = await import('../../../src/core/secrets/encrypted-store.ts');

const dir = mkdtempSync(join(tmpdir(), 'botdesk-safe-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  fakeSafeStorage.available = true;
  fakeSafeStorage.backend = 'gnome_libsecret';
});

describe('safeStorage cipher', () => {
  it('encrypts through Electron safeStorage and the store round-trips keys', () => {
    const cipher = safeStorageCipher(undefined, 'linux');
    expect(cipher.unavailableReason()).toBeNull();
    const file = join(dir, 'secrets.json');
    new EncryptedSecretStore({ file, cipher }).set('binance', {
      apiKey: 'k'.repeat(16),
      secret: 'topsecretvalue',
    });
    expect(readFileSync(file, 'utf8')).not.toContain('topsecretvalue');
    expect(new EncryptedSecretStore({ file, cipher }).get('binance')?.secret).toBe(
      'topsecretvalue',
    );
  });

  it('is unavailable, with the reason, when the OS cannot encrypt', () => {
    fakeSafeStorage.available = false;
    expect(safeStorageCipher(undefined, 'darwin').unavailableReason()).toMatch(
      /no keychain or keyring/,
    );
  });

  it("treats Linux's basic_text fallback (a hard-coded password) as unavailable", () => {
    fakeSafeStorage.backend = 'basic_text';
    const cipher = safeStorageCipher(undefined, 'linux');
    expect(cipher.unavailableReason()).toMatch(
      /no keyring is available \(safeStorage backend 'basic_text'\)/,
    );
    const store = new EncryptedSecretStore({ file: join(dir, 'other.json'), cipher });
    expect(() => store.set('binance', { apiKey: 'k'.repeat(16), secret: 's' })).toThrow(
      /cannot be stored safely/,
    );
    // On Windows and macOS the backend question does not arise.
    expect(safeStorageCipher(undefined, 'win32').unavailableReason()).toBeNull();
  });
});
