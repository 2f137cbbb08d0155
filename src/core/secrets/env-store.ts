/**
 * Headless keys from environment variables: BOTDESK_<EXCHANGE>_API_KEY,
 * BOTDESK_<EXCHANGE>_API_SECRET and, where the exchange wants one, _API_PASSWORD.
 * Read-only: a headless BotDesk never writes keys anywhere.
 */
import { BotDeskError } from '../api/errors.ts';
import { SecretChain } from './encrypted-store.ts';
import { KeyFileSecretStore } from './key-file-store.ts';
import { checkExchangeId, maskKey } from './mask.ts';
import type { ApiKeys, SecretStatus, SecretStore } from './types.ts';

export function envNames(exchange: string): { key: string; secret: string; password: string } {
  const prefix = `BOTDESK_${checkExchangeId(exchange).toUpperCase()}_API`;
  return { key: `${prefix}_KEY`, secret: `${prefix}_SECRET`, password: `${prefix}_PASSWORD` };
}

export class EnvSecretStore implements SecretStore {
  readonly source = 'env' as const;
  readonly #env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }

  get(exchange: string): ApiKeys | null {
    const names = envNames(exchange);
    const apiKey = this.#env[names.key];
    const secret = this.#env[names.secret];
    if (!apiKey || !secret) return null;
    const password = this.#env[names.password];
    return password ? { apiKey, secret, password } : { apiKey, secret };
  }

  set(exchange: string): void {
    const names = envNames(exchange);
    throw new BotDeskError(
      'FORBIDDEN',
      `headless BotDesk does not store keys: set ${names.key} and ${names.secret} in its environment, or name a key file (readable by its owner only) in BOTDESK_KEY_FILE`,
    );
  }

  delete(exchange: string): void {
    this.set(exchange);
  }

  status(exchange: string): SecretStatus {
    const keys = this.get(exchange);
    const names = envNames(exchange);
    return {
      exchange,
      source: keys ? 'env' : 'none',
      apiKey: keys ? maskKey(keys.apiKey) : null,
      hasSecret: Boolean(keys?.secret),
      writable: false,
      ...(keys ? {} : { reason: `no ${names.key} / ${names.secret} in the environment` }),
    };
  }

  values(): string[] {
    return Object.entries(this.#env)
      .filter(([k, v]) => /^BOTDESK_[A-Z0-9]+_API_(KEY|SECRET|PASSWORD)$/.test(k) && v)
      .map(([, v]) => v!);
  }
}

/**
 * Headless keys: the environment first, then the key file named by BOTDESK_KEY_FILE
 * (refused unless only its owner can read it).
 */
export function headlessSecrets(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const file = env['BOTDESK_KEY_FILE'];
  const fromEnv = new EnvSecretStore(env);
  return file ? new SecretChain([fromEnv, new KeyFileSecretStore(file)]) : fromEnv;
}
