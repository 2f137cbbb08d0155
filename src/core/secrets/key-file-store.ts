/**
 * Headless keys from a JSON key file: { "binance": { "apiKey": "…", "secret": "…" } }.
 * The file must be readable by its owner only (mode 600): a file others can read is
 * refused with the reason and the command that fixes it. Read-only.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { BotDeskError } from '../api/errors.ts';
import { checkExchangeId, maskKey } from './mask.ts';
import type { ApiKeys, SecretStatus, SecretStore } from './types.ts';

const KeyFile = z.record(
  z.string(),
  z
    .object({
      apiKey: z.string().min(1),
      secret: z.string().min(1),
      password: z.string().min(1).optional(),
    })
    .strict(),
);

export class KeyFileSecretStore implements SecretStore {
  readonly source = 'file' as const;
  readonly path: string;
  readonly #platform: NodeJS.Platform;
  #keys: Record<string, ApiKeys> | null = null;

  constructor(path: string, platform: NodeJS.Platform = process.platform) {
    this.path = path;
    this.#platform = platform;
  }

  /** Reads and checks the file (once); throws a clear error when it is unsafe or malformed. */
  load(): Record<string, ApiKeys> {
    if (this.#keys) return this.#keys;
    let mode: number;
    try {
      mode = statSync(this.path).mode;
    } catch (err) {
      throw new BotDeskError(
        'INVALID_INPUT',
        `key file ${this.path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    // Windows has no group/other permission bits to check.
    if (this.#platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new BotDeskError(
        'FORBIDDEN',
        `key file ${this.path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${this.path}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      // The parser's message could quote the file's content: say only where it failed.
      throw new BotDeskError('INVALID_INPUT', `key file ${this.path} is not valid JSON`);
    }
    const checked = KeyFile.safeParse(parsed);
    if (!checked.success) {
      const where = checked.error.issues.map((i) => i.path.join('.') || 'file').join(', ');
      throw new BotDeskError(
        'INVALID_INPUT',
        `key file ${this.path} must look like {"binance": {"apiKey": "…", "secret": "…"}} (problem at: ${where})`,
      );
    }
    this.#keys = checked.data as Record<string, ApiKeys>;
    return this.#keys;
  }

  get(exchange: string): ApiKeys | null {
    return this.load()[checkExchangeId(exchange)] ?? null;
  }

  set(): void {
    throw new BotDeskError(
      'FORBIDDEN',
      `keys come from the key file ${this.path}; edit it (and keep it chmod 600) to change them`,
    );
  }

  delete(): void {
    this.set();
  }

  status(exchange: string): SecretStatus {
    try {
      const keys = this.get(exchange);
      return {
        exchange,
        source: keys ? 'file' : 'none',
        apiKey: keys ? maskKey(keys.apiKey) : null,
        hasSecret: Boolean(keys),
        writable: false,
        ...(keys ? {} : { reason: `no keys for ${exchange} in ${this.path}` }),
      };
    } catch (err) {
      return {
        exchange,
        source: 'none',
        apiKey: null,
        hasSecret: false,
        writable: false,
        reason: (err as Error).message,
      };
    }
  }

  values(): string[] {
    try {
      return Object.values(this.load()).flatMap((k) => [
        k.apiKey,
        k.secret,
        ...(k.password ? [k.password] : []),
      ]);
    } catch {
      return [];
    }
  }
}
