/**
 * Exchange API keys. They live only in memory and in the encrypted store (desktop:
 * Electron safeStorage) or come from the environment / a private key file (headless);
 * they never reach settings, logs, events, errors, the journal or the renderer. What
 * leaves the core is `SecretStatus`, with the key masked.
 */
export interface ApiKeys {
  apiKey: string;
  secret: string;
  /** Some exchanges (OKX, KuCoin) also want a passphrase. */
  password?: string;
}

export type SecretSource = 'safeStorage' | 'env' | 'file' | 'none';

export interface SecretStatus {
  exchange: string;
  source: SecretSource;
  /** The API key masked (e.g. "••••wxyz"), or null when there is none. */
  apiKey: string | null;
  hasSecret: boolean;
  /** Whether `secrets:set` can store keys here. */
  writable: boolean;
  /** Why keys cannot be stored or read here, when that is so. */
  reason?: string;
}

export interface SecretStore {
  readonly source: SecretSource;
  /** The keys of an exchange, or null. */
  get(exchange: string): ApiKeys | null;
  /** Store keys (refused, with the reason, where the store cannot keep them safely). */
  set(exchange: string, keys: ApiKeys): void;
  delete(exchange: string): void;
  status(exchange: string): SecretStatus;
  /** Every secret value the store holds, for redaction of anything that leaves the core. */
  values(): string[];
}
