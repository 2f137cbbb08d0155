/**
 * The saved remote bots: tokens only as the TokenBox's ciphertext, a private file
 * replaced atomically, an unreadable file moved aside with a notice, and
 * safeStorage refused where it would only obfuscate (Linux `basic_text`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const keychain = { available: true, backend: 'gnome_libsecret' };
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => keychain.available,
    getSelectedStorageBackend: () => keychain.backend,
    encryptString: (plain: string) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decryptString: (cipher: Buffer) =>
      Buffer.from(cipher.toString().replace(/^sealed:/, ''), 'hex').toString(),
  },
}));

const { createBotListStore, BOT_LIST_FILE, LOCAL_BOT_ID } =
  await import('../../../src/main/bot-list-store.ts');
const { createSafeStorageTokenBox } = await import('../../../src/main/token-box.ts');

const TOKEN = 'remote-token-0123456789abcdef';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'botdesk-bot-list-'));
  keychain.available = true;
  keychain.backend = 'gnome_libsecret';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('bot list store', () => {
  it('keeps the token only encrypted, in a 0600 file, and gives it back decrypted', () => {
    const store = createBotListStore(dir, createSafeStorageTokenBox('linux'));
    const bot = store.add({
      name: 'vps',
      url: 'wss://vps:8745/ws',
      token: TOKEN,
      fingerprint: null,
    });
    const file = path.join(dir, BOT_LIST_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    expect(store.tokenOf(bot.id)).toBe(TOKEN);
    expect(readdirSync(dir)).toEqual([BOT_LIST_FILE]); // no temporary file left

    store.pin(bot.id, 'AA:BB');
    store.setSelected(bot.id);
    const reopened = createBotListStore(dir, createSafeStorageTokenBox('linux'));
    expect(reopened.get(bot.id)).toMatchObject({ name: 'vps', fingerprint: 'AA:BB' });
    expect(reopened.selected()).toBe(bot.id);
    expect(reopened.remove(bot.id)).toBe(true);
    expect(reopened.selected()).toBe(LOCAL_BOT_ID);
  });

  it('refuses to store a token when the keychain would only obfuscate it, and saves nothing', () => {
    keychain.backend = 'basic_text';
    const store = createBotListStore(dir, createSafeStorageTokenBox('linux'));
    expect(() =>
      store.add({ name: 'vps', url: 'wss://vps:8745/ws', token: TOKEN, fingerprint: null }),
    ).toThrow(/keyring/);
    keychain.available = false;
    expect(() =>
      store.add({ name: 'vps', url: 'wss://vps:8745/ws', token: TOKEN, fingerprint: null }),
    ).toThrow(/keychain is not available/);
    expect(store.bots()).toHaveLength(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('moves an unreadable list aside with a notice and starts empty', () => {
    writeFileSync(path.join(dir, BOT_LIST_FILE), '{ not json');
    const store = createBotListStore(dir, createSafeStorageTokenBox('linux'));
    expect(store.bots()).toEqual([]);
    expect(store.notice).toMatch(/could not be read/);
    expect(readdirSync(dir).some((f) => f.startsWith(`${BOT_LIST_FILE}.unreadable-`))).toBe(true);
  });
});
