/** English: the built-in strategies' names and descriptions, by id (merged into en.ts; the core's words). */
export const enStrategies = {
  builtin: {
    'sma-crossover': {
      name: 'SMA crossover',
      description:
        'Enters long when the fast SMA crosses above the slow one and exits when it crosses back below. Strength: distance between the averages in units of 1% of the price.',
      params: {
        fast: 'Period of the fast average (candles)',
        slow: 'Period of the slow average (candles)',
      },
    },
    'ema-crossover': {
      name: 'EMA crossover',
      description:
        'Enters long when the fast EMA crosses above the slow one and exits when it crosses back below. Strength: distance between the averages in units of 1% of the price.',
      params: {
        fast: 'Period of the fast average (candles)',
        slow: 'Period of the slow average (candles)',
      },
    },
    'rsi-reversion': {
      name: 'RSI mean reversion',
      description:
        'Enters long when RSI drops below the oversold level and exits when it rises above the overbought level. Strength: how far RSI went past the level, in units of 10 RSI points.',
      params: {
        period: 'RSI period (candles)',
        oversold: 'Enter below this RSI',
        overbought: 'Exit above this RSI',
      },
    },
    'macd-cross': {
      name: 'MACD signal cross',
      description:
        'Enters long when the MACD line crosses above its signal line (histogram turns positive) and exits when it crosses below. Strength: histogram size in units of 0.1% of the price.',
      params: {
        fast: 'Fast EMA period',
        slow: 'Slow EMA period',
        signal: 'Signal-line EMA period',
      },
    },
    'bollinger-reversion': {
      name: 'Bollinger bands reversion',
      description:
        'Enters long when the close falls below the lower band and exits when it climbs back above the middle band. Strength: distance of the close from the middle band in band half-widths.',
      params: {
        period: 'Period of the middle band (SMA, candles)',
        deviations: 'Band half-width in standard deviations',
      },
    },
    'bollinger-breakout': {
      name: 'Bollinger bands breakout',
      description:
        'Enters long when the close breaks above the upper band and exits when it falls back below the middle band. Strength: distance of the close from the middle band in band half-widths.',
      params: {
        period: 'Period of the middle band (SMA, candles)',
        deviations: 'Band half-width in standard deviations',
      },
    },
    'donchian-breakout': {
      name: 'Donchian breakout',
      description:
        'Enters long when the close breaks above the highest high of the previous `entry` candles and exits when it breaks below the lowest low of the previous `exit` candles. Strength: breakout size in units of the entry channel width.',
      params: {
        entry: 'Entry channel length (candles)',
        exit: 'Exit channel length (candles)',
      },
    },
  },
} as const;
