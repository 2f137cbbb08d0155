/** Bot configs that trade quickly on the simulated market, for tests that need fills soon. */
import type { BotConfigInput } from '../../src/core/api/schemas.ts';

/** A 1m candle every 10 ms on two pairs, and a strategy that trades often. */
export const FAST_SIM: BotConfigInput = {
  mode: 'paper',
  market: { source: 'sim', speed: 6000, seed: 7 },
  symbols: ['BTC/USDT', 'ETH/USDT'],
  timeframe: '1m',
  strategy: { id: 'sma-crossover', params: { fast: 2, slow: 3 } },
  warmupCandles: 20,
};

/** The load scenario's: three pairs, another seed. */
export const LOAD_SIM: BotConfigInput = {
  ...FAST_SIM,
  market: { source: 'sim', speed: 6000, seed: 11 },
  symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
};
