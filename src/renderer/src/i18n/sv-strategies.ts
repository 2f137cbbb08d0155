/** Svenska: de inbyggda strategiernas namn och beskrivningar, per id (i sv.ts). */
import type { enStrategies } from './en-strategies.ts';

type Words<T> = { readonly [K in keyof T]: T[K] extends string ? string : Words<T[K]> };

export const svStrategies: Words<typeof enStrategies> = {
  builtin: {
    'sma-crossover': {
      name: 'SMA-korsning',
      description:
        'Köper när det snabba SMA-snittet korsar över det långsamma och säljer när det korsar tillbaka under. Styrka: avståndet mellan snitten i enheter om 1 % av priset.',
      params: {
        fast: 'Det snabba snittets period (ljus)',
        slow: 'Det långsamma snittets period (ljus)',
      },
    },
    'ema-crossover': {
      name: 'EMA-korsning',
      description:
        'Köper när det snabba EMA-snittet korsar över det långsamma och säljer när det korsar tillbaka under. Styrka: avståndet mellan snitten i enheter om 1 % av priset.',
      params: {
        fast: 'Det snabba snittets period (ljus)',
        slow: 'Det långsamma snittets period (ljus)',
      },
    },
    'rsi-reversion': {
      name: 'RSI-återgång',
      description:
        'Köper när RSI faller under översåld-nivån och säljer när den stiger över överköpt-nivån. Styrka: hur långt RSI gick förbi nivån, i enheter om 10 RSI-punkter.',
      params: {
        period: 'RSI-period (ljus)',
        oversold: 'Köp under detta RSI',
        overbought: 'Sälj över detta RSI',
      },
    },
    'macd-cross': {
      name: 'MACD-signalkorsning',
      description:
        'Köper när MACD-linjen korsar över sin signallinje (histogrammet blir positivt) och säljer när den korsar under. Styrka: histogrammets storlek i enheter om 0,1 % av priset.',
      params: {
        fast: 'Det snabba EMA-snittets period',
        slow: 'Det långsamma EMA-snittets period',
        signal: 'Signallinjens EMA-period',
      },
    },
    'bollinger-reversion': {
      name: 'Bollingerband, återgång',
      description:
        'Köper när stängningskursen faller under det undre bandet och säljer när den klättrar tillbaka över mittbandet. Styrka: stängningskursens avstånd från mittbandet i halva bandbredder.',
      params: {
        period: 'Mittbandets period (SMA, ljus)',
        deviations: 'Halva bandbredden i standardavvikelser',
      },
    },
    'bollinger-breakout': {
      name: 'Bollingerband, utbrott',
      description:
        'Köper när stängningskursen bryter över det övre bandet och säljer när den faller tillbaka under mittbandet. Styrka: stängningskursens avstånd från mittbandet i halva bandbredder.',
      params: {
        period: 'Mittbandets period (SMA, ljus)',
        deviations: 'Halva bandbredden i standardavvikelser',
      },
    },
    'donchian-breakout': {
      name: 'Donchian-utbrott',
      description:
        'Köper när stängningskursen bryter över den högsta toppen under de senaste `entry` ljusen och säljer när den bryter under den lägsta botten under de senaste `exit` ljusen. Styrka: utbrottets storlek i enheter av ingångskanalens bredd.',
      params: {
        entry: 'Ingångskanalens längd (ljus)',
        exit: 'Utgångskanalens längd (ljus)',
      },
    },
  },
};
