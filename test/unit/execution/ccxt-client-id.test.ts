/** Client order ids every supported exchange accepts, stable and distinct. */
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ID_LENGTH,
  CLIENT_ID_RULES,
  exchangeClientId,
  isOurClientId,
} from '../../../src/core/execution/ccxt-client-id.ts';

describe('exchange client order ids', () => {
  const engineIds = Array.from(
    { length: 1000 },
    (_, i) => `mx3h${i % 7}abc-${i}-BTC/USDT-${i % 2 ? 'buy' : 'sell'}`,
  );

  it("fit the strictest supported exchange's charset and length", () => {
    for (const id of engineIds.map(exchangeClientId)) {
      expect(id).toHaveLength(CLIENT_ID_LENGTH);
      for (const [exchange, rule] of Object.entries(CLIENT_ID_RULES)) {
        expect(id.length, exchange).toBeLessThanOrEqual(rule.maxLength);
        expect(rule.charset.test(id), exchange).toBe(true);
      }
    }
  });

  it('are the same for the same engine id (stable across a restart) and distinct otherwise', () => {
    expect(exchangeClientId('run-1-BTC/USDT-buy')).toBe(exchangeClientId('run-1-BTC/USDT-buy'));
    expect(new Set(engineIds.map(exchangeClientId)).size).toBe(engineIds.length);
    expect(isOurClientId(exchangeClientId('x'))).toBe(true);
    expect(isOurClientId('web_3f6286480b194b079870ac75fb6978b7')).toBe(false);
    expect(isOurClientId(undefined)).toBe(false);
    expect(() => exchangeClientId('')).toThrow(/needs a client order id/);
  });
});
