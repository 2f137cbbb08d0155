/**
 * Desktop keys, encrypted by the OS (Electron safeStorage: Keychain, DPAPI, libsecret /
 * kwallet) through a SecretCipher the main process supplies. The file holds only
 * ciphertext (<dataDir>/secrets.json, mode 600, written atomically). Where the OS offers
 * no real encryption the store refuses keys and says why: it never falls back to plain text.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BotDeskError } from '../api/errors.ts';
import { writePrivateFileSync } from '../host/private-files.ts';
import { checkExchangeId, maskKey } from './mask.ts';
import type { ApiKeys, SecretStatus, SecretStore } from './types.ts';

export interface SecretCipher {
  /** null when encryption is available; otherwise the reason it is not. */
  unavailableReason(): string | null;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const SecretsFile = z.object({
  version: z.literal(1),
  exchanges: z.record(z.string(), z.string()),
});
const Keys = z.object({
  apiKey: z.string().min(1),
  secret: z.string().min(1),
  password: z.string().optional(),
});

export function secretsFile(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

export class EncryptedSecretStore implements SecretStore {
  readonly source = 'safeStorage' as const;
  readonly file: string;
  readonly #cipher: SecretCipher;
  readonly #plain = new Map<string, ApiKeys>();
  #loaded = false;

  constructor(opts: { file: string; cipher: SecretCipher }) {
    this.file = opts.file;
    this.#cipher = opts.cipher;
  }

  #read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    const parsed = SecretsFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success)
      throw new BotDeskError(
        'SETTINGS_ERROR',
        `the key store ${this.file} is damaged; remove it and enter the keys again`,
      );
    return parsed.data.exchanges;
  }

  #write(exchanges: Record<string, string>): void {
    const tmp = `${this.file}.tmp`;
    writePrivateFileSync(tmp, JSON.stringify({ version: 1, exchanges }, null, 2));
    renameSync(tmp, this.file);
  }

  #load(): void {
    if (this.#loaded) return;
    const reason = this.#cipher.unavailableReason();
    if (reason) return;
    for (const [exchange, blob] of Object.entries(this.#read())) {
      try {
        const keys = Keys.parse(JSON.parse(this.#cipher.decrypt(Buffer.from(blob, 'base64'))));
        this.#plain.set(exchange, keys as ApiKeys);
      } catch {
        // Encrypted by another user or machine: unreadable here; status says so.
      }
    }
    this.#loaded = true;
  }

  get(exchange: string): ApiKeys | null {
    this.#load();
    return this.#plain.get(checkExchangeId(exchange)) ?? null;
  }

  set(exchange: string, keys: ApiKeys): void {
    checkExchangeId(exchange);
    const reason = this.#cipher.unavailableReason();
    if (reason)
      throw new BotDeskError(
        'FORBIDDEN',
        `API keys cannot be stored safely on this system: ${reason}`,
      );
    const checked = Keys.safeParse(keys);
    if (!checked.success)
      throw new BotDeskError('INVALID_INPUT', 'an API key and its secret are both needed');
    this.#load();
    const exchanges = this.#read();
    exchanges[exchange] = this.#cipher.encrypt(JSON.stringify(checked.data)).toString('base64');
    this.#write(exchanges);
    this.#plain.set(exchange, checked.data as ApiKeys);
  }

  delete(exchange: string): void {
    checkExchangeId(exchange);
    const exchanges = this.#read();
    delete exchanges[exchange];
    this.#write(exchanges);
    this.#plain.delete(exchange);
  }

  status(exchange: string): SecretStatus {
    const reason = this.#cipher.unavailableReason();
    const keys = reason ? null : this.get(exchange);
    const stored = !reason && !keys && exchange in this.#read();
    return {
      exchange,
      source: keys ? 'safeStorage' : 'none',
      apiKey: keys ? maskKey(keys.apiKey) : null,
      hasSecret: Boolean(keys),
      writable: reason === null,
      ...(reason
        ? { reason: `API keys cannot be stored safely on this system: ${reason}` }
        : stored
          ? {
              reason:
                'the stored keys cannot be decrypted by this user or machine; enter them again',
            }
          : {}),
    };
  }

  values(): string[] {
    return [...this.#plain.values()].flatMap((k) => [
      k.apiKey,
      k.secret,
      ...(k.password ? [k.password] : []),
    ]);
  }
}

/** The first store that has keys for an exchange answers; keys are set in the first writable one. */
export class SecretChain implements SecretStore {
  readonly stores: readonly SecretStore[];

  constructor(stores: readonly SecretStore[]) {
    this.stores = stores;
  }

  get source(): SecretStore['source'] {
    return this.stores[0]?.source ?? 'none';
  }

  get(exchange: string): ApiKeys | null {
    for (const s of this.stores) {
      const keys = s.get(exchange);
      if (keys) return keys;
    }
    return null;
  }

  set(exchange: string, keys: ApiKeys): void {
    const target = this.stores.find((s) => s.status(exchange).writable) ?? this.stores[0];
    if (!target) throw new BotDeskError('FORBIDDEN', 'no key store is configured');
    target.set(exchange, keys);
  }

  delete(exchange: string): void {
    const target = this.stores.find((s) => s.status(exchange).writable) ?? this.stores[0];
    target?.delete(exchange);
  }

  status(exchange: string): SecretStatus {
    const all = this.stores.map((s) => s.status(exchange));
    const found = all.find((s) => s.apiKey !== null);
    if (found) return { ...found, writable: all.some((s) => s.writable) };
    const reasons = all.map((s) => s.reason).filter((r): r is string => Boolean(r));
    return {
      exchange,
      source: 'none',
      apiKey: null,
      hasSecret: false,
      writable: all.some((s) => s.writable),
      ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    };
  }

  values(): string[] {
    return this.stores.flatMap((s) => s.values());
  }
}
