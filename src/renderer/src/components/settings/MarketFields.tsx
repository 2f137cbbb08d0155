import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
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
        <TextField
          id="exchange"
          label={t('settings.exchange')}
          value={market.exchange}
          error={errorOf('bot.market.exchange')}
          onChange={(exchange) => onMarket({ exchange })}
          placeholder="binance"
          hint={t('settings.exchangeHint')}
        />
      ) : null}
      {market.source === 'replay' ? (
        <TextField
          id="file"
          label={t('settings.file')}
          value={market.file}
          error={errorOf('bot.market.file')}
          onChange={(file) => onMarket({ file })}
          placeholder={t('settings.filePlaceholder')}
        />
      ) : null}
      <TextField
        id="symbols"
        label={t('settings.symbols')}
        value={props.symbols}
        error={errorOf('bot.symbols')}
        onChange={props.onSymbols}
        placeholder="BTC/USDT, ETH/USDT"
      />
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
          <TextField
            id="speed"
            label={t('settings.speed')}
            value={market.speed}
            error={errorOf('bot.market.speed')}
            onChange={(speed) => onMarket({ speed })}
            inputMode="decimal"
          />
        ) : null}
        {market.source === 'sim' ? (
          <TextField
            id="seed"
            label={t('settings.seed')}
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
