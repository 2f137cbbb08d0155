import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { coreWords } from '../../i18n/say.ts';
import { useApp, useLive } from '../../app-context.ts';
import { TextField } from '../settings/fields.tsx';

/**
 * The exchange's keys: shown masked as main reports them; typed keys go to main once and
 * the fields are emptied right after (they are never read back nor kept in a store).
 */
export function ApiKeysForm({ exchange }: { exchange: string }) {
  const { commands } = useApp();
  const { t } = useTranslation();
  const status = useLive((s) => (s.secrets?.exchange === exchange ? s.secrets : null));
  const check = useLive((s) => (s.check?.exchange === exchange ? s.check : null));
  const pending = useLive((s) => s.pending);
  const error = useLive((s) => s.error);
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [sandbox, setSandbox] = useState(true);
  const [missing, setMissing] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (apiKey.trim() === '' || secret.trim() === '') return setMissing(true);
    setMissing(false);
    const keys = { exchange, apiKey: apiKey.trim(), secret: secret.trim(), password };
    setApiKey('');
    setSecret('');
    setPassword('');
    await commands.saveKeys(keys);
  };
  const refusal = (action: string) =>
    error?.action === action ? (
      <div className="notice error" role="alert" data-testid={`keys-${action}-error`}>
        {coreWords(error.message, 'core.message')}
      </div>
    ) : null;

  return (
    <form
      className="section"
      onSubmit={(e) => void save(e)}
      noValidate
      aria-label={t('live.keysForm')}
    >
      <fieldset className="section">
        <legend>{t('live.keysFor', { exchange })}</legend>
        <dl className="key-status" data-testid="keys-status">
          <dt>{t('live.keys')}</dt>
          <dd>{status ? t(`live.source.${status.source}`) : t('common.loading')}</dd>
          <dt>{t('live.apiKey')}</dt>
          <dd data-testid="keys-masked">{status?.apiKey ?? t('live.notSet')}</dd>
          <dt>{t('live.secret')}</dt>
          <dd>{status?.hasSecret ? t('live.secretSet') : t('live.notSet')}</dd>
        </dl>
        {status && !status.writable ? (
          <div className="notice warn" data-testid="keys-readonly">
            {t('live.readOnly')}
            {status.reason ? coreWords(` (${status.reason})`, 'live.readOnlyWhy') : ''}.{' '}
            {t('live.readOnlyHow', { env: `BOTDESK_${exchange.toUpperCase()}` })}
          </div>
        ) : null}
        <div className="grid2">
          <TextField
            id="key-api"
            label={t('live.apiKeyField')}
            type="password"
            value={apiKey}
            onChange={setApiKey}
            error={missing && apiKey.trim() === '' ? t('live.enterKey') : undefined}
          />
          <TextField
            id="key-secret"
            label={t('live.secretField')}
            type="password"
            value={secret}
            onChange={setSecret}
            error={missing && secret.trim() === '' ? t('live.enterSecret') : undefined}
          />
          <TextField
            id="key-password"
            label={t('live.passphrase')}
            type="password"
            value={password}
            onChange={setPassword}
            error={undefined}
          />
        </div>
        {refusal('save')}
        {refusal('delete')}
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={pending === 'save'}>
            {pending === 'save' ? t('live.saving') : t('live.save')}
          </button>
          <button
            type="button"
            className="btn danger"
            disabled={!status?.apiKey || !status.writable || pending !== null}
            onClick={() => void commands.deleteKeys(exchange)}
          >
            {t('live.remove')}
          </button>
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('live.checkLegend')}</legend>
        <label className="check">
          <input type="checkbox" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} />
          {t('live.checkSandbox')}
        </label>
        <div className="form-actions">
          <button
            type="button"
            className="btn"
            disabled={pending !== null}
            onClick={() => void commands.testConnection(exchange, sandbox)}
          >
            {pending === 'test' ? t('live.checking') : t('live.check')}
          </button>
        </div>
        {refusal('test')}
        {check ? (
          <div
            className={`notice ${check.ok ? 'info' : 'error'}`}
            role="status"
            data-testid="keys-check"
          >
            {check.ok
              ? t(check.sandbox ? 'live.checkOkTestnet' : 'live.checkOk', {
                  exchange: check.exchange,
                  assets: check.assets,
                })
              : t('live.checkFailed', { exchange: check.exchange })}
            {check.canWithdraw ? (
              <strong className="withdraw-warning"> {t('live.canWithdraw')}</strong>
            ) : null}
            {check.warnings.map((w) => (
              <div key={w}>{coreWords(w, 'core.message')}</div>
            ))}
          </div>
        ) : null}
      </fieldset>
    </form>
  );
}
