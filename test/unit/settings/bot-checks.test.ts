import { describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { checkBotConfigInput } from '../../../src/core/settings/bot-checks.ts';

async function issues(input: Parameters<typeof checkBotConfigInput>[0]) {
  try {
    await checkBotConfigInput(input);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(BotDeskError);
    return (err as BotDeskError).details as Array<{ path: string[]; message: string }>;
  }
}

describe('bot config checks before saving', () => {
  it("enforces a strategy's cross-field rules with the field's path", async () => {
    const found = await issues({
      strategy: { id: 'sma-crossover', params: { fast: 50, slow: 20 } },
    });
    expect(found).toEqual([
      { path: ['bot', 'strategy', 'params', 'fast'], message: 'fast must be shorter than slow' },
    ]);
    expect(
      await issues({ strategy: { id: 'sma-crossover', params: { fast: 5, slow: 20 } } }),
    ).toEqual([]);
  });

  it('refuses a symbol listed twice and an exchange ccxt does not know', async () => {
    const found = await issues({
      symbols: ['BTC/USDT', 'ETH/USDT', 'BTC/USDT'],
      market: { source: 'ccxt', exchange: 'binanse', speed: 1, seed: 1 },
    });
    expect(found.map((i) => i.path.join('.'))).toEqual(['bot.symbols', 'bot.market.exchange']);
    expect(found[0]!.message).toBe('listed twice: BTC/USDT');
    expect(found[1]!.message).toMatch(
      /'binanse' is not an exchange ccxt knows; did you mean binance/,
    );
  });
});
