/**
 * Client order ids the exchange accepts. The engine's ids ("<run>-<attempt>-BTC/USDT-buy")
 * contain characters and lengths some exchanges refuse, so the live executor sends a
 * derived id instead: a prefix and a hash of the engine's id. The same engine id always
 * gives the same exchange id (stable across a crash: the id is journaled before the send),
 * and distinct engine ids give distinct ids (120 bits of SHA-256).
 */
import { createHash } from 'node:crypto';

export interface ClientIdRule {
  /** Longest client order id the exchange accepts. */
  maxLength: number;
  /** Characters it accepts. */
  charset: RegExp;
  /** Where the exchange documents it (for whoever adds the next exchange). */
  field: string;
}

/** The exchanges BotDesk trades on live, with their client order id rules. */
export const CLIENT_ID_RULES: Readonly<Record<string, ClientIdRule>> = {
  binance: { maxLength: 36, charset: /^[A-Za-z0-9_-]+$/, field: 'newClientOrderId' },
  bybit: { maxLength: 36, charset: /^[A-Za-z0-9_-]+$/, field: 'orderLinkId' },
  okx: { maxLength: 32, charset: /^[A-Za-z0-9]+$/, field: 'clOrdId' },
  kucoin: { maxLength: 40, charset: /^[A-Za-z0-9_-]+$/, field: 'clientOid' },
};

/** The strictest of the rules above: letters and digits only, 32 characters. */
export const CLIENT_ID_LENGTH = 32;
const PREFIX = 'bd';
const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** Lower-case base32 of the first `chars` × 5 bits. */
function base32(bytes: Buffer, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= chars) break;
  }
  return out;
}

/** The id sent to the exchange for the engine's order id `intentId`. */
export function exchangeClientId(intentId: string): string {
  if (intentId.length === 0) throw new RangeError('an order needs a client order id');
  const hash = createHash('sha256').update(intentId).digest();
  return PREFIX + base32(hash, CLIENT_ID_LENGTH - PREFIX.length);
}

/** Whether an order on the exchange was placed by BotDesk (manual orders are not touched). */
export function isOurClientId(id: string | undefined): boolean {
  return id !== undefined && id.length === CLIENT_ID_LENGTH && id.startsWith(PREFIX);
}
