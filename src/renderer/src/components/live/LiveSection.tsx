import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../core/api/schemas.ts';
import { useApp } from '../../app-context.ts';
import { Field } from '../settings/fields.tsx';
import { ApiKeysForm } from './ApiKeysForm.tsx';
import { LiveArming } from './LiveArming.tsx';

const EXCHANGE_ID = /^[a-z][a-z0-9]{1,39}$/;

/** Settings → Live trading: the exchange's API keys (write-only) and arming live mode. */
export function LiveSection({ settings }: { settings: Settings }) {
  const { commands } = useApp();
  const { t } = useTranslation();
  const market = settings.bot.market;
  const [exchange, setExchange] = useState(market.exchange ?? 'binance');
  const valid = EXCHANGE_ID.test(exchange);

  useEffect(() => {
    if (valid) void commands.loadLive(exchange);
  }, [commands, exchange, valid]);

  return (
    <section className="settings-form live-section" aria-labelledby="live-title">
      <h2 id="live-title">{t('live.title')}</h2>
      <p className="hint">{t('live.intro')}</p>
      <fieldset className="section">
        <legend>{t('live.exchangeLegend')}</legend>
        <Field
          id="live-exchange"
          label={t('live.exchange')}
          error={valid ? undefined : t('live.exchangeInvalid')}
        >
          <input
            id="live-exchange"
            value={exchange}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setExchange(e.target.value.trim().toLowerCase())}
            {...(valid ? {} : { 'aria-invalid': true, 'aria-describedby': 'live-exchange-error' })}
          />
        </Field>
      </fieldset>
      {valid ? (
        <>
          <ApiKeysForm exchange={exchange} />
          <LiveArming exchange={exchange} />
        </>
      ) : null}
    </section>
  );
}
