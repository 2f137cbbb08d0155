// BotDesk user strategy template. Copy it to <dataDir>/strategies/<your-id>.mjs and edit.
// Rules (checked when the file is loaded; a broken file is listed with its error):
// - The file is an ES module (.mjs, or .js) whose default export is a strategy definition
//   or a function ({ z, indicators }) => definition. It cannot import packages itself:
//   zod and trading-signals are handed in.
// - `id` is unique (not a built-in id): lowercase letters, digits, '.', '_' or '-'.
// - Every parameter has a default, so the strategy runs with `params: {}`.
// - `update(candle)` is called once per closed candle, oldest first, and must be
//   deterministic: no clock, no randomness, no network, no files. It returns
//   { action: 'enter_long' | 'exit' | 'hold', strength: 0..1, indicators: { name: number | null } }.
// - The candle object may be reused after update() returns: copy the numbers you keep.
// - Strategies run in a separate compute process without your settings or API keys.
//   One that throws fails only its own pair; one that hangs or crashes its process is
//   stopped and quarantined.
export default ({ z, indicators }) => ({
  id: 'my-strategy',
  name: 'My strategy',
  description: 'What it does, in one or two sentences.',
  params: z.object({
    period: z
      .number()
      .int()
      .min(2)
      .max(500)
      .default(20)
      .describe('Moving average period (candles)'),
  }),
  // Names of the values in `indicators` that the chart draws, in order.
  indicators: ['sma'],
  // Candles needed before the signals mean anything.
  warmup: (p) => p.period,
  create(p) {
    const sma = new indicators.SMA(p.period);
    let previousClose = null;
    let previousSma = null;
    return {
      update(candle) {
        const value = sma.add(candle.close);
        let action = 'hold';
        if (value !== null && previousSma !== null) {
          if (previousClose <= previousSma && candle.close > value) action = 'enter_long';
          else if (previousClose >= previousSma && candle.close < value) action = 'exit';
        }
        previousClose = candle.close;
        previousSma = value;
        return { action, strength: action === 'hold' ? 0 : 1, indicators: { sma: value } };
      },
    };
  },
});
