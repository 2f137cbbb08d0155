import { useTranslation } from 'react-i18next';
import type { MarketSourceKind, Timeframe } from '../../../../core/api/schemas.ts';
import { TIMEFRAMES } from '../../../../core/api/timeframes.ts';
import { hasClock, MARKET_SOURCES, type MarketForm } from '../../state/market-form.ts';
import { Field, invalidProps } from './fields.tsx';

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
  const { t } = useTranslation();
  const symbolsError = errorOf('bot.symbols');
  return (
    <fieldset className="section">
      <legend>{t('settings.market')}</legend>
      <Field id="source" label={t('settings.source')}>
        <select
          id="source"
          value={market.source}
          onChange={(e) => onMarket({ source: e.target.value as MarketSourceKind })}
        >
          {MARKET_SOURCES.map((m) => (
            <option key={m.value} value={m.value}>
              {t(`settings.sources.${m.value}`)}
            </option>
          ))}
        </select>
      </Field>
      {market.source === 'ccxt' ? (
        <Field
          id="exchange"
          label={t('settings.exchange')}
          error={errorOf('bot.market.exchange')}
          hint={t('settings.exchangeHint')}
        >
          <input
            id="exchange"
            value={market.exchange}
            onChange={(e) => onMarket({ exchange: e.target.value })}
            placeholder="binance"
            {...invalidProps('exchange', errorOf('bot.market.exchange'))}
          />
        </Field>
      ) : null}
      {market.source === 'replay' ? (
        <Field id="file" label={t('settings.file')} error={errorOf('bot.market.file')}>
          <input
            id="file"
            value={market.file}
            onChange={(e) => onMarket({ file: e.target.value })}
            placeholder="/path/to/candles.csv"
            {...invalidProps('file', errorOf('bot.market.file'))}
          />
        </Field>
      ) : null}
      <Field id="symbols" label={t('settings.symbols')} error={symbolsError}>
        <input
          id="symbols"
          value={props.symbols}
          onChange={(e) => props.onSymbols(e.target.value)}
          placeholder="BTC/USDT, ETH/USDT"
          {...invalidProps('symbols', symbolsError)}
        />
      </Field>
      <div className="grid2">
        <Field id="timeframe" label={t('settings.timeframe')}>
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
          <Field id="speed" label={t('settings.speed')} error={errorOf('bot.market.speed')}>
            <input
              id="speed"
              type="text"
              inputMode="decimal"
              value={market.speed}
              onChange={(e) => onMarket({ speed: e.target.value })}
              {...invalidProps('speed', errorOf('bot.market.speed'))}
            />
          </Field>
        ) : null}
        {market.source === 'sim' ? (
          <Field id="seed" label={t('settings.seed')} error={errorOf('bot.market.seed')}>
            <input
              id="seed"
              type="text"
              inputMode="numeric"
              value={market.seed}
              onChange={(e) => onMarket({ seed: e.target.value })}
              {...invalidProps('seed', errorOf('bot.market.seed'))}
            />
          </Field>
        ) : null}
      </div>
    </fieldset>
  );
}
