import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { coreWords } from '../../i18n/say.ts';
import { useApp, useLive } from '../../app-context.ts';
import { formatDateTime } from '../../format.ts';
import { confirmMatches } from '../../state/live-store.ts';

/** Arm live trading: the user types the exchange's name; testnet or real funds. Or disarm. */
export function LiveArming({ exchange }: { exchange: string }) {
  const { commands } = useApp();
  const { t } = useTranslation();
  const arming = useLive((s) => s.arming);
  const pending = useLive((s) => s.pending);
  const error = useLive((s) =>
    s.error?.action === 'arm' || s.error?.action === 'disarm' ? s.error : null,
  );
  const [typed, setTyped] = useState('');
  const [sandbox, setSandbox] = useState(true);
  const matches = confirmMatches(exchange, typed);

  const arm = async () => {
    if (await commands.armLive(exchange, typed, sandbox)) setTyped('');
  };

  return (
    <fieldset className="section" aria-describedby="arming-state">
      <legend>{t('live.armLegend')}</legend>
      {arming?.armed ? (
        <div
          className="notice error live-armed-notice"
          id="arming-state"
          role="status"
          data-testid="arming-state"
        >
          <strong>{t('live.armedOn', { exchange: arming.exchange ?? exchange })}</strong>{' '}
          {arming.sandbox ? t('live.armedTestnet') : t('live.armedReal')}
          {arming.armedAt
            ? ` ${t('live.armedSince', { time: formatDateTime(arming.armedAt) })}`
            : ''}
          . {arming.sandbox ? t('live.armedSendsTestnet') : t('live.armedSendsReal')}
        </div>
      ) : (
        <p className="hint" id="arming-state" data-testid="arming-state">
          {t('live.notArmed')}
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} />
        {t('live.useTestnet', { exchange })}
      </label>
      <div className="field">
        <label htmlFor="arm-confirm">{t('live.typeToConfirm', { exchange })}</label>
        <input
          id="arm-confirm"
          value={typed}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
        />
        <p className="hint">{sandbox ? t('live.ordersTestnet') : t('live.ordersReal')}</p>
      </div>
      {error ? (
        <div className="notice error" role="alert" data-testid="arming-error">
          {coreWords(error.message, 'core.message')}
        </div>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="btn danger"
          disabled={!matches || pending !== null}
          onClick={() => void arm()}
        >
          {pending === 'arm'
            ? t('live.arming')
            : sandbox
              ? t('live.armTestnet')
              : t('live.armReal')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!arming?.armed || pending !== null}
          onClick={() => void commands.disarmLive()}
        >
          {t('live.disarm')}
        </button>
      </div>
    </fieldset>
  );
}
