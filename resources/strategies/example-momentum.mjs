// Example BotDesk user strategy: rate-of-change momentum.
// Copy this file into <dataDir>/strategies (see docs/strategies.md); BotDesk loads it
// in a compute worker, validates it and reloads it when you save changes.
//
// The default export is a function that receives { z, indicators }:
//   z          — zod v4, to declare parameters with defaults and ranges;
//   indicators — the trading-signals library (SMA, EMA, RSI, ROC, MACD, ...).
export default ({ z, indicators }) => ({
  id: 'example-momentum',
  name: 'ROC momentum (example)',
  description:
    'Enters long when the rate of change over `period` candles rises above `threshold` percent and exits when it falls below zero.',
  params: z.object({
    period: z
      .number()
      .int()
      .min(2)
      .max(200)
      .default(12)
      .describe('Rate-of-change period (candles)'),
    threshold: z.number().min(0).max(50).default(1).describe('Entry threshold, in percent'),
  }),
  indicators: ['roc'],
  warmup: (p) => p.period + 2,
  create(p) {
    const roc = new indicators.ROC(p.period);
    let previous = null;
    return {
      update(candle) {
        // trading-signals' ROC is a fraction; the threshold is in percent.
        const value = roc.add(candle.close);
        const percent = value === null ? null : value * 100;
        let action = 'hold';
        let strength = 0;
        if (percent !== null && previous !== null) {
          if (previous <= p.threshold && percent > p.threshold) action = 'enter_long';
          else if (previous >= 0 && percent < 0) action = 'exit';
          if (action !== 'hold')
            strength = Math.min(1, Math.abs(percent) / (2 * Math.max(p.threshold, 0.5)));
        }
        previous = percent;
        return { action, strength, indicators: { roc: percent } };
      },
    };
  },
});
