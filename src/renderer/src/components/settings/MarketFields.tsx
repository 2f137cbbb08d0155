import type { MarketSourceKind, Timeframe } from '../../../../core/api/schemas.ts';
import { TIMEFRAMES } from '../../../../core/api/timeframes.ts';
import { hasClock, MARKET_SOURCES, type MarketForm } from '../../state/market-form.ts';
import { Field, TextField } from './fields.tsx';

export function MarketFields(props: {
  market: MarketForm;
  onMarket: (patch: Partial<MarketForm>) => void;
  symbols: string;
  onSymbols: (text: string) => void;
  timeframe: Timeframe;
  onTimeframe: (tf: Timeframe) => void;
  errorOf: (key: string) => string | undefined;
}) {
  const { market, onMarket, errorOf } = props;
  return (
    <fieldset className="section">
      <legend>Market</legend>
      <Field id="source" label="Market data">
        <select
          id="source"
          value={market.source}
          onChange={(e) => onMarket({ source: e.target.value as MarketSourceKind })}
        >
          {MARKET_SOURCES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </Field>
      {market.source === 'ccxt' ? (
        <TextField
          id="exchange"
          label="Exchange (ccxt id)"
          value={market.exchange}
          error={errorOf('bot.market.exchange')}
          onChange={(exchange) => onMarket({ exchange })}
          placeholder="binance"
          hint="Public candles only; orders stay paper trades."
        />
      ) : null}
      {market.source === 'replay' ? (
        <TextField
          id="file"
          label="Candle file"
          value={market.file}
          error={errorOf('bot.market.file')}
          onChange={(file) => onMarket({ file })}
          placeholder="candles.csv in the data folder's imports/"
        />
      ) : null}
      <TextField
        id="symbols"
        label="Symbols"
        value={props.symbols}
        error={errorOf('bot.symbols')}
        onChange={props.onSymbols}
        placeholder="BTC/USDT, ETH/USDT"
      />
      <div className="grid2">
        <Field id="timeframe" label="Timeframe">
          <select
            id="timeframe"
            value={props.timeframe}
            onChange={(e) => props.onTimeframe(e.target.value as Timeframe)}
          >
            {TIMEFRAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        {hasClock(market.source) ? (
          <TextField
            id="speed"
            label="Simulation speed (×)"
            value={market.speed}
            error={errorOf('bot.market.speed')}
            onChange={(speed) => onMarket({ speed })}
            inputMode="decimal"
          />
        ) : null}
        {market.source === 'sim' ? (
          <TextField
            id="seed"
            label="Simulated market seed"
            value={market.seed}
            error={errorOf('bot.market.seed')}
            onChange={(seed) => onMarket({ seed })}
            inputMode="numeric"
          />
        ) : null}
      </div>
    </fieldset>
  );
}
