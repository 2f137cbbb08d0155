/**
 * Showing and hiding keys. A key is shown as its last four characters at most; anything
 * that leaves the core (log lines, errors, events) can be passed through a redactor that
 * replaces every secret value it knows.
 */
const MIN_SECRET_LENGTH = 6;

/** "••••wxyz" for keys long enough to keep a hint, "••••" otherwise. */
export function maskKey(key: string): string {
  return key.length >= 12 ? `••••${key.slice(-4)}` : '••••';
}

/** A function that removes every current secret value from a text. */
export function createRedactor(values: () => readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const v of values()) {
      if (v.length < MIN_SECRET_LENGTH) continue;
      if (out.includes(v)) out = out.split(v).join('[redacted]');
    }
    return out;
  };
}

/** Exchange ids are lower-case ccxt ids; checked before they become file keys or variable names. */
export function checkExchangeId(exchange: string): string {
  if (!/^[a-z][a-z0-9]{1,39}$/.test(exchange))
    throw new RangeError(
      `'${exchange}' is not an exchange id (lower-case letters and digits, e.g. binance)`,
    );
  return exchange;
}
